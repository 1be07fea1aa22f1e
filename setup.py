"""Build hooks of the mentoring_cms package (the metadata is in pyproject.toml).

The message catalogues are compiled here, at build time, instead of being
committed: a ``.mo`` file is derived from its ``.po`` file, and compiling it
from the ``.po`` in the same build means a wheel or sdist can never carry a
catalogue that is out of date with its source. polib (pure Python, declared
in ``[build-system] requires``) compiles them, so building needs no GNU
gettext. ``make messages`` still compiles them in place for a source checkout.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

CATALOGUES = "mentoring_cms/locale/*/LC_MESSAGES/*.po"


def compile_catalogues(root):
    """Write a ``.mo`` file next to every ``.po`` file of the plugin under
    ``root``; returns the paths written."""
    import polib

    written = []
    for po_path in sorted(Path(root).glob(CATALOGUES)):
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(str(mo_path))
    return written


class BuildPyWithCatalogues(build_py):
    """Copies the package as usual, then compiles its catalogues in the
    build directory (what the wheel holds)."""

    def run(self):
        super().run()
        if not getattr(self, "editable_mode", False):
            compile_catalogues(self.build_lib)

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        po_files = [Path(p) for p in outputs if p.endswith(".po")]
        return outputs + [
            str(p.with_suffix(".mo"))
            for p in po_files
            if str(p.with_suffix(".mo")) not in outputs
        ]


class SdistWithCatalogues(sdist):
    """Puts the compiled catalogues into the source distribution too."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        compile_catalogues(base_dir)


setup(cmdclass={"build_py": BuildPyWithCatalogues, "sdist": SdistWithCatalogues})
