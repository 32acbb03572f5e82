"""The worker's own class path: user code never sees the kernel's jars (docker-java, JeroMQ, basekernel,
Jackson, Guava), so a %maven of any version of them gives exactly that version (docs/architecture.md)."""
from __future__ import annotations

import pytest

from conftest import strip_ansi

KERNEL_ONLY = [
    "com.github.dockerjava.api.DockerClient",      # docker-java: the kernel's engines
    "org.zeromq.ZMQ",                               # JeroMQ: the kernel's Jupyter sockets
    "io.github.spencerpark.jupyter.kernel.BaseKernel",
    "com.fasterxml.jackson.databind.ObjectMapper",  # relocated inside the worker's runtime jar
    "com.google.common.collect.ImmutableList",     # Guava: docker-java's
    "com.google.gson.Gson",
    "io.netty.buffer.ByteBuf",
    "dev.ferry.kernel.FerryKernel",
    "dev.ferry.remote.engine.docker.DockerEngine",
]


@pytest.mark.parametrize("name", KERNEL_ONLY)
def test_a_cell_cannot_load_the_kernels_classes(kernel, name):
    kernel.execute_ok('String seen(String n) { try { Class.forName(n); return "visible"; }'
                      ' catch (ClassNotFoundException e) { return "hidden"; } }')
    assert kernel.value_of(f'seen("{name}")') == 'hidden', f"{name} is visible to user code"


def test_the_compiler_does_not_see_them_either(kernel):
    r = kernel.execute("com.google.common.collect.ImmutableList<String> xs = null;")
    assert r.status == "error", r.describe()
    assert "package com.google.common.collect does not exist" in strip_ansi(r.error_text()), r.error_text()


def test_the_user_api_arrow_duckdb_and_sqlite_are_there(kernel):
    assert kernel.value_of('Image.debianSlim().getClass().getName()') == 'dev.ferry.Image'
    for name in ["org.apache.arrow.vector.VectorSchemaRoot", "org.duckdb.DuckDBDriver", "org.sqlite.JDBC"]:
        assert kernel.value_of(f'Class.forName("{name}").getName()') == name


@pytest.mark.parametrize("coords, probe, version", [
    ("com.fasterxml.jackson.core:jackson-databind:2.12.7",
     "com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString()", "2.12.7"),
    ("com.google.guava:guava:31.1-jre",
     "com.google.common.collect.ImmutableList.class.getProtectionDomain().getCodeSource().getLocation().getPath()",
     "31.1-jre"),
])
def test_maven_of_a_version_the_kernel_also_uses_gives_that_version(fresh_kernel, coords, probe, version):
    r = fresh_kernel.execute_ok(f"%maven {coords}", timeout=240)
    assert "Added" in strip_ansi(r.stdout), r.describe()
    assert version in fresh_kernel.value_of(probe)


def test_arrow_tables_and_sql_still_work_on_the_slim_class_path(kernel):
    r = kernel.execute_ok("%%sql out=t\nSELECT range AS i, range * 2 AS j FROM range(5)", timeout=60)
    assert kernel.value_of("t.rowCount()") == "5", r.describe()
    cols = 'Table.fromColumns(Map.of("a", List.of(1, 2, 3))).rowCount()'
    assert kernel.value_of(cols) == "3"
