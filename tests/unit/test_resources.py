"""From a source checkout, the shipped folders and the default instance folder are the checkout's own."""
from pathlib import Path

import pytest

from hallmon import config, resources

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", resources.SHIPPED)
def test_a_checkout_finds_its_top_level_folders(name):
    assert resources.resource_folder(name) == ROOT / name
    assert resources.resource_folder(name).is_dir()


def test_only_the_shipped_folders_are_looked_up():
    with pytest.raises(ValueError, match="not a shipped folder"):
        resources.resource_folder("instance")


def test_a_checkout_keeps_its_instance_folder_at_its_root(monkeypatch):
    monkeypatch.delenv("HALLMON_INSTANCE_PATH")
    assert resources.checkout_root() == ROOT
    assert config.instance_path() == ROOT / "instance"


def test_an_installed_package_keeps_its_instance_folder_in_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("HALLMON_INSTANCE_PATH")
    monkeypatch.setattr(config, "checkout_root", lambda: None)
    monkeypatch.chdir(tmp_path)
    assert config.instance_path() == tmp_path / "instance"


def test_the_environment_names_the_instance_folder_first(monkeypatch, tmp_path):
    monkeypatch.setenv("HALLMON_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    assert config.instance_path() == tmp_path / "elsewhere"
