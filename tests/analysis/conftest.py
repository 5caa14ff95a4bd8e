"""PySpark in local mode, shared by the tests that run the engine on Spark."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    # py4j logs as the gateway closes, after pytest has closed the captured streams.
    logging.getLogger("py4j").setLevel(logging.CRITICAL)
    warehouse: Path = tmp_path_factory.mktemp("spark-warehouse")
    # Tuned for many small queries on a few thousand rows, where planning and starting tasks
    # cost more than the work: one core and one partition, no adaptive re-planning, no
    # whole-stage code generated and compiled per query, and a JVM that compiles with its quick
    # compiler only. The two Spark modules took 45 s and take about 31 s; results are unchanged
    # (the settings change how Spark runs a plan, never what it computes).
    session = (
        SparkSession.builder.master("local[1]")
        .appName("equal-outcomes-parity")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.warehouse.dir", str(warehouse))
        .getOrCreate()
    )
    yield session
    session.stop()
