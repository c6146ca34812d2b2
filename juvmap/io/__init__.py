"""Reading data: built-in datasets, the region gazetteer and user files (Qt-free).

``juvmap.io.read_points`` (:func:`juvmap.io.vector.read_points`) is imported lazily, so that
importing a submodule stays light.
"""


def __getattr__(name: str):
    if name in ("read_points", "PointLayer"):
        from juvmap.io import vector

        return getattr(vector, name)
    raise AttributeError(f"module 'juvmap.io' has no attribute {name!r}")
