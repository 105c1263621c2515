#!/usr/bin/env bash
# Replenishment's cost on a real SQLite file: planning every SKU again for 50,000 SKUs (cold from SQLite, warm in
# memory) and the sale path's throughput through the single writer with and without the planner.
#   bench/replenishment.sh [SKUS] [SALES]   (from the repository root after `mvn -B -DskipTests package` and
#                                             `mvn -B -pl gateway test-compile`)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
java -Xmx256m -cp "$root/gateway/target/gateway.jar:$root/gateway/target/test-classes" \
  com.retailedge.gateway.replenishment.ReplenishmentBench "${1:-50000}" "${2:-50000}"
