"""Runtime hook: point GDAL and PROJ at the data folders inside the bundle, and keep them offline.

pyogrio, rasterio and pyproj each carry their own GDAL/PROJ build (different versions) and
their own ``gdal_data``/``proj_data``/``proj.db``. Each looks for the folder of its own package
first unless ``GDAL_DATA``/``PROJ_DATA``/``PROJ_LIB`` are set, and a GIS installed on the
same computer (QGIS, OSGeo4W) often sets them system-wide, which would make the bundled
libraries read a foreign ``proj.db`` of another layout version. So this hook removes those
variables and lets every library find its bundled folder (``<bundle>/pyogrio/gdal_data``,
``<bundle>/rasterio/proj_data``, ``<bundle>/pyproj/proj_dir/share/proj`` ...). It also turns
off PROJ's network grid downloads: the application works offline.

``JUVMAP_BUNDLE_CHECK=1`` prints, as one JSON line, the data folder each library uses and
whether a projection works, then exits (used by ``packaging/smoke_offline.sh``).
"""

import os
import sys

_FOREIGN = ("GDAL_DATA", "PROJ_DATA", "PROJ_LIB", "GDAL_DRIVER_PATH", "PROJ_NETWORK")
for _name in _FOREIGN:
    if _name in os.environ:
        os.environ["JUVMAP_INHERITED_" + _name] = os.environ.pop(_name)
os.environ["PROJ_NETWORK"] = "OFF"


def _bundle_check():
    import json

    import pyogrio
    import pyproj
    import rasterio
    from rasterio.crs import CRS
    from rasterio.warp import transform

    bundle = os.path.realpath(sys._MEIPASS)
    xs, ys = transform(CRS.from_epsg(4326), CRS.from_epsg(3857), [76.9], [43.25])
    to_utm = pyproj.Transformer.from_crs(4326, 32643, always_xy=True)
    folders = {
        "pyogrio_gdal_data": pyogrio.get_gdal_data_path(),
        "rasterio_gdal_data": rasterio.env.GDALDataFinder().search_wheel(),
        "rasterio_proj_data": rasterio.env.PROJDataFinder().search_wheel(),
        "pyproj_data": pyproj.datadir.get_data_dir(),
    }
    report = {
        **folders,
        "inside_bundle": all(
            bool(p) and os.path.realpath(p).startswith(bundle) for p in folders.values()
        ),
        "gdal": {"pyogrio": pyogrio.__gdal_version_string__, "rasterio": rasterio.__gdal_version__},
        "rasterio_mercator_x": round(xs[0]),
        "pyproj_utm43_x": round(to_utm.transform(76.9, 43.25)[0]),
    }
    print(json.dumps(report))
    sys.exit(0 if report["inside_bundle"] else 1)


if os.environ.get("JUVMAP_BUNDLE_CHECK") == "1":
    _bundle_check()
