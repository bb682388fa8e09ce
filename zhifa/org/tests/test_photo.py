"""The officer's photo: uploaded on the officer record through its service, shown on the public
credential page only, and refused when it is not a usable image."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from zhifa.core.errors import InvalidInput, NotPermitted
from zhifa.disclosure import credentials
from zhifa.org import services
from zhifa.org.models import Officer
from zhifa.org.tests import test_views
from zhifa.org.tests.test_views import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """The org views' world (a county, its bureau, an agency with a certified officer)."""
    return test_views.make_world()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png(size: tuple[int, int] = (300, 400)) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "相机厂商"  # Make: must not survive the re-encoding
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name: str = "照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_the_head_uploads_a_photo_stored_as_a_scaled_jpeg_without_metadata(world):
    officer = world["officer"]
    services.officer_set_photo(actor=world["head"], officer=officer, photo=io.BytesIO(png((1600, 1200))))
    officer.refresh_from_db()
    with officer.photo.open("rb") as f, Image.open(f) as stored:
        assert stored.format == "JPEG" and max(stored.size) == 800
        assert not stored.getexif()


def test_a_photo_that_is_not_an_image_or_too_small_is_refused_and_nothing_is_kept(world):
    officer = world["officer"]
    with pytest.raises(InvalidInput, match="不是可以识别的图片"):
        services.officer_set_photo(
            actor=world["head"], officer=officer, photo=io.BytesIO(b"%PDF-1.7 not a photo")
        )
    with pytest.raises(InvalidInput, match="照片太小"):
        services.officer_set_photo(actor=world["head"], officer=officer, photo=io.BytesIO(png((40, 40))))
    assert not Officer.objects.get(pk=officer.pk).photo


def test_only_a_manager_of_the_agency_sets_the_photo(world):
    officer = world["officer"]
    for user in (world["clerk"], world["foreign_head"], world["supervisor"]):
        with pytest.raises(NotPermitted):
            services.officer_set_photo(actor=user, officer=officer, photo=io.BytesIO(png()))
    url = reverse("org:officer_photo", args=[officer.pk])
    assert client_for(world["clerk"]).post(url, {"photo": upload(png())}).status_code == 403
    assert client_for(world["foreign_head"]).get(url).status_code == 404
    assert not Officer.objects.get(pk=officer.pk).photo


def test_the_upload_page_saves_refuses_in_a_sentence_and_removes(world):
    officer = world["officer"]
    client = client_for(world["head"])
    url = reverse("org:officer_photo", args=[officer.pk])
    refused = client.post(url, {"photo": upload(b"GIF89a-not-really", "a.gif")})
    assert refused.status_code == 400 and "不是可以识别的图片" in refused.content.decode()
    assert client.post(url, {"photo": upload(png())}).status_code == 302
    detail = client.get(reverse("org:officer_detail", args=[officer.pk])).content.decode()
    assert reverse("org:officer_photo_file", args=[officer.pk]) in detail
    photo = client.get(reverse("org:officer_photo_file", args=[officer.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert Client().get(reverse("org:officer_photo_file", args=[officer.pk])).status_code == 302  # login
    assert client.post(url, {"remove": "on"}).status_code == 302
    assert not Officer.objects.get(pk=officer.pk).photo


def test_the_credential_page_shows_the_photo_and_other_public_pages_do_not(world):
    officer, certificate = world["officer"], world["certificate"]
    page = Client().get(credentials.credential_path(certificate)).content.decode()
    assert "的照片" not in page  # none on file yet
    services.officer_set_photo(actor=world["head"], officer=officer, photo=io.BytesIO(png()))
    token = credentials.credential_token(certificate)
    photo_url = reverse("portal:credential_photo", args=[token])
    page = Client().get(credentials.credential_path(certificate)).content.decode()
    assert photo_url in page and "李明的照片" in page
    photo = Client().get(photo_url)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    # A forged token shows no photo; the officer's own page is staff-only.
    assert Client().get(reverse("portal:credential_photo", args=[token + "x"])).status_code == 400
    agency_page = Client().get(reverse("portal:agency", args=[world["agency"].pk])).content.decode()
    assert "photo.jpg" not in agency_page and "的照片" not in agency_page
