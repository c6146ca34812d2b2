"""PyInstaller hook for rasterio: its Cython modules and the GDAL/PROJ data of its own wheel.

rasterio's wheel carries a GDAL and a PROJ of other versions than pyogrio's, with their own
``gdal_data``/``proj_data``; both stay inside the package, where rasterio looks first.
``rasterio.rio`` (the ``rio`` command line) stays: ``rasterio.features`` imports its helpers.
"""

from PyInstaller.compat import is_win
from PyInstaller.utils.hooks import collect_data_files, collect_submodules


hiddenimports = collect_submodules("rasterio", filter=lambda name: ".tests" not in name)
datas = collect_data_files("rasterio", includes=["gdal_data/**/*", "proj_data/**/*"])
binaries = []
excludedimports = ["matplotlib"]  # rasterio.plot only

if is_win:
    from PyInstaller.utils.hooks import collect_delvewheel_libs_directory

    datas, binaries = collect_delvewheel_libs_directory("rasterio", datas=datas, binaries=binaries)
