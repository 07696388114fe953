"""From a source checkout, the shipped folders are the checkout's own."""
from pathlib import Path

import pytest

from hallmon import resources

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", resources.SHIPPED)
def test_a_checkout_finds_its_top_level_folders(name):
    assert resources.resource_folder(name) == ROOT / name
    assert resources.resource_folder(name).is_dir()


def test_only_the_shipped_folders_are_looked_up():
    with pytest.raises(ValueError, match="not a shipped folder"):
        resources.resource_folder("instance")

