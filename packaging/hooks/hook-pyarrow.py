"""PyInstaller hook for pyarrow, replacing the contributed one: the core without servers.

pandas (string columns) and pyogrio (Arrow reads of GeoPackages) use the array, compute
and IPC core. Flight (gRPC), Substrait, Gandiva, CUDA and the cloud file systems are never
used and are left out, together with the C++ headers and Cython sources (~45 MB saved).
The shared libraries the collected modules need are found by the dependency analysis.
"""

from PyInstaller.utils.hooks import collect_submodules

_UNUSED = (
    "tests", "flight", "_flight", "substrait", "_substrait", "gandiva", "cuda", "_cuda",
    "_s3fs", "_gcsfs", "_azurefs", "_hdfs", "_orc", "orc", "benchmark",
)


def _wanted(name: str) -> bool:
    parts = name.split(".")
    return not any(p in _UNUSED or p.endswith(("_tests", "_orc")) for p in parts)


hiddenimports = collect_submodules("pyarrow", filter=_wanted)
excludedimports = [f"pyarrow.{name}" for name in _UNUSED]
