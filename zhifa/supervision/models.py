"""行政执法监督 by the 司法局 (and, by region, the 司法所): its records, one module per part.

- clues (监督线索): complaints and other clues, 分办, 督办, 监督意见书 — models_clues;
- case-file evaluation (案卷评查) — models_evaluation;
- filing review (备案审查) and warning rules (预警) — models_filings, models_warnings;
- the cockpit's projection and the yearly assessment (考核) — models_cockpit.
"""

from zhifa.supervision.models_assessment import *  # noqa: F403
from zhifa.supervision.models_clues import *  # noqa: F403
from zhifa.supervision.models_cockpit import *  # noqa: F403
from zhifa.supervision.models_evaluation import *  # noqa: F403
from zhifa.supervision.models_filings import *  # noqa: F403
from zhifa.supervision.models_warnings import *  # noqa: F403
