#!/usr/bin/env bash
# Each forecasting method's MASE against the naive forecast on simulated demand (steady, weekly seasonal,
# intermittent, trend, promotion spike): one-day and 3-day (lead time + review) horizons, rolling origin.
#   bench/forecast.sh [SERIES_PER_PROFILE]   (from the repository root after `mvn -B -DskipTests package`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
java -cp "$root/gateway/target/gateway.jar" "$root/bench/ForecastBench.java" "${1:-200}"
