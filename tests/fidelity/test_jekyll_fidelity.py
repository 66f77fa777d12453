"""Reader shows each post as its Jekyll site shows it: the fidelity corpus beside this
file (every Liquid and Markdown form Reader renders) and the bundled sample archive
(``seeds/``), built by Debian's ``jekyll`` and rendered by Reader, compared per post on
visible text (similarity ≥ 0.95), link targets and image sources.

CI installs ``jekyll`` (``scripts/bootstrap.sh``); without it this test skips, saying so.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reader.core.paths import bundled_seeds
from tests.fidelity.compare import compare_site

CORPUS = Path(__file__).parent / "corpus"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("jekyll") is None, reason="Debian's jekyll is not installed (apt-get install jekyll)"
    ),
]


@pytest.fixture(scope="module", params=["corpus", "seeds"])
def built(request, tmp_path_factory):
    """(source, Jekyll's build of it) for the corpus and the bundled sample."""
    from tests.fidelity.compare import build

    origin = CORPUS if request.param == "corpus" else bundled_seeds()
    source = tmp_path_factory.mktemp(request.param) / "source"
    # The sample's problems-on-purpose/ (a GB18030 file, front matter that is a list)
    # stop Jekyll's build: those show what Reader says of broken files, not rendering.
    shutil.copytree(origin, source, ignore=shutil.ignore_patterns("problems-on-purpose"))
    site = source.parent / "site"
    result = build(source, site)
    assert result.returncode == 0, result.stderr
    return request.param, source, site


def test_every_post_shows_the_text_links_and_images_jekyll_shows(built):
    name, source, site = built
    results = compare_site(source, site)
    report = "\n".join(result.report() for result in results)
    print(f"\n{name}:\n{report}")
    assert len(results) >= (10 if name == "corpus" else 15), report
    assert [r.path for r in results if not r.matches] == [], report
