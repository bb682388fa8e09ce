"""The agency's seal image: validated on upload, generated where none is set, set only by its managers."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from zhifa.accounts.models import Role
from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.org import services
from zhifa.org.seal import generated_seal_png, seal_png_for, seal_png_validate
from zhifa.testing import unchanged_db
from zhifa.testing.admin import form_data, sysadmin_client
from zhifa.testing.factories import AgencyFactory, make_user


def image_bytes(size=(400, 400), mode="RGBA", color=(200, 0, 0, 0), kind="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, color).save(buffer, format=kind)
    return buffer.getvalue()


SEAL = image_bytes()


def test_the_generated_seal_is_a_round_red_transparent_png():
    image = Image.open(io.BytesIO(generated_seal_png("示例县人力资源和社会保障局")))
    assert image.format == "PNG" and image.size == (600, 600)
    corner, centre = image.getpixel((5, 5)), image.getpixel((300, 300))
    assert corner[3] == 0  # outside the ring: transparent
    assert centre[0] > 150 and centre[1] < 60 and centre[3] == 255  # the star: red
    assert seal_png_validate(generated_seal_png("示例县人力资源和社会保障局"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "请上传电子印章图像"),
        (b"not an image", "须为 PNG 格式的图片文件"),
        (image_bytes(mode="RGB", color=(200, 0, 0), kind="JPEG"), "上传的是 JPEG 格式"),
        (image_bytes(mode="RGB", color=(255, 255, 255)), "须为透明背景"),
        (image_bytes(size=(100, 100)), "200 至 2000 像素"),
        (image_bytes(size=(800, 400)), "大致为正方形"),
    ],
)
def test_an_unfit_seal_image_is_refused_in_a_sentence(data, message):
    with pytest.raises(InvalidInput, match=message):
        seal_png_validate(data)


def test_documents_use_the_uploaded_seal_else_the_generated_one():
    assert seal_png_for(name="某局", uploaded=SEAL) == SEAL
    assert seal_png_for(name="某局", uploaded=b"") == generated_seal_png("某局")


@pytest.mark.django_db
class TestSealSet:
    def test_the_head_sets_and_clears_the_seal(self):
        agency = AgencyFactory()
        head = make_user(Role.HEAD, agency=agency)
        services.agency_seal_set(actor=head, agency=agency, png=SEAL)
        agency.refresh_from_db()
        assert bytes(agency.seal_png) == SEAL
        services.agency_seal_set(actor=head, agency=agency, png=None)
        agency.refresh_from_db()
        assert bytes(agency.seal_png) == b""

    def test_another_agencys_head_is_refused(self):
        agency, other_head = AgencyFactory(), make_user(Role.HEAD)
        with unchanged_db(), pytest.raises(NotPermitted):
            services.agency_seal_set(actor=other_head, agency=agency, png=SEAL)

    def test_an_opaque_image_is_refused_and_nothing_is_written(self):
        agency = AgencyFactory()
        head = make_user(Role.HEAD, agency=agency)
        with unchanged_db(), pytest.raises(InvalidInput, match="透明背景"):
            services.agency_seal_set(
                actor=head, agency=agency, png=image_bytes(mode="RGB", color=(255, 255, 255))
            )

    def test_the_admin_form_uploads_through_the_service(self):
        client = sysadmin_client()[0]
        agency = AgencyFactory()
        url = reverse("admin:org_agency_change", args=[agency.pk])
        data = form_data(client.get(url))
        data["seal_upload"] = SimpleUploadedFile("seal.png", SEAL, content_type="image/png")
        assert client.post(url, data).status_code == 302
        agency.refresh_from_db()
        assert bytes(agency.seal_png) == SEAL

    def test_the_admin_form_shows_a_refusal(self):
        client = sysadmin_client()[0]
        agency = AgencyFactory()
        url = reverse("admin:org_agency_change", args=[agency.pk])
        data = form_data(client.get(url))
        data["seal_upload"] = SimpleUploadedFile("seal.jpg", image_bytes(mode="RGB", kind="JPEG"))
        with unchanged_db():
            response = client.post(url, data)
        assert response.status_code == 200
        assert "上传的是 JPEG 格式" in response.content.decode()
