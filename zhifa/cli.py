"""The `zhifa` console script: every Django management command, like manage.py.

`zhifa --help` lists the product's own commands first with their Chinese help, and Django's and
its components' commands under a heading of their own. argparse's messages (usage, errors) are
in Chinese: the console script is the whole process, so its argparse speaks the user's language.
"""

import argparse
import os
import sys

# argparse's own strings (Python 3.11+), as the zhifa command line shows them.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少必需的参数：%s。",
    "unrecognized arguments: %s": "无法识别的参数：%s。",
    "invalid choice: %(value)r (choose from %(choices)s)": "取值 %(value)r 无效，可选：%(choices)s。",
    "invalid %(type)s value: %(value)r": "取值 %(value)r 无效（应为 %(type)s）。",
    "expected one argument": "需要一个值。",
    "expected at least one argument": "至少需要一个值。",
    "expected at most one argument": "至多接受一个值。",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 有歧义，可能是：%(matches)s。",
    "not allowed with argument %s": "不能与参数 %s 同时使用。",
    "one of the arguments %s is required": "参数 %s 须给出其中一个。",
    "ignored explicit argument %r": "多余的参数值 %r。",
    "unexpected option string: %s": "意外的选项：%s。",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
}
ARGPARSE_ZH_PLURAL = {"expected %s argument": "需要 %s 个值。"}

# Commands of installed components that belong to the product all the same.
PRODUCT_EXTRAS = {"run_huey": "运行任务队列的工作进程：签章、缩略图、全文索引、检查点和定时任务。"}


def _gettext(message: str) -> str:
    return ARGPARSE_ZH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return ARGPARSE_ZH_PLURAL.get(singular, singular if n == 1 else plural)


def speak_chinese() -> None:
    """argparse looks its strings up through these module globals at the time it formats them."""
    argparse._ = _gettext  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


def main_help_text(prog: str) -> str:
    from django.core.management import get_commands, load_command_class

    ours: list[tuple[str, str]] = []
    others: dict[str, list[str]] = {}
    for name, app in sorted(get_commands().items()):
        if app.startswith("zhifa."):
            ours.append((name, str(load_command_class(app, name).help).strip().splitlines()[0]))
        elif name in PRODUCT_EXTRAS:
            ours.append((name, PRODUCT_EXTRAS[name]))
        else:
            others.setdefault("django" if app == "django.core" else app.rpartition(".")[-1], []).append(name)
    width = max(len(name) for name, _ in ours)
    lines = [
        f"用法：{prog} <命令> [选项]",
        f"某一命令的说明：{prog} help <命令>，或 {prog} <命令> --help。",
        "",
        "zhifa 的命令：",
        *(f"  {name.ljust(width)}  {text}" for name, text in ours),
        "",
        "Django 及其组件自带的命令（数据库迁移、静态文件、开发服务器等）：",
    ]
    for app in sorted(others):
        lines.append(f"  [{app}] " + " ".join(others[app]))
    return "\n".join(lines)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    from django.core.management import ManagementUtility

    speak_chinese()

    class Utility(ManagementUtility):
        def main_help_text(self, commands_only: bool = False) -> str:
            if commands_only:
                return super().main_help_text(commands_only)
            return main_help_text(self.prog_name)

    try:
        Utility(sys.argv).execute()
    except BrokenPipeError:
        # The reader went away (`zhifa documents list | head`): stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
