"""PyInstaller hook for pyogrio: its Cython modules and the GDAL/PROJ data of its own wheel.

pyogrio links its own GDAL (and PROJ) and looks for ``gdal_data``/``proj_data`` beside its
modules, so both folders keep their place inside the package. The libraries themselves
(``pyogrio.libs`` on Linux, delvewheel's folder on Windows) are found by PyInstaller's
binary dependency analysis, or collected explicitly on Windows.
"""

from PyInstaller.compat import is_win
from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("pyogrio", filter=lambda name: ".tests" not in name)
datas = collect_data_files("pyogrio", includes=["gdal_data/**/*", "proj_data/**/*"])
binaries = []

if is_win:
    from PyInstaller.utils.hooks import collect_delvewheel_libs_directory

    datas, binaries = collect_delvewheel_libs_directory("pyogrio", datas=datas, binaries=binaries)
