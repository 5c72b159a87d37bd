#!/bin/sh
# demo.sh: the main job on the bundled datasets (the body of 'make demo').
#
#   1. analyze every dataset in datasets/ at once and write the full report
#      in text, markdown and JSON to build/demo/;
#   2. show one comparison in the terminal: the EuroSys'21 boot times per
#      VMM, with the ratio CIs, p-values and --explain findings;
#   3. draw the figures of every dataset with gnuplot into build/demo/plots.
#
# Nothing in the repository is changed ('make figures' regenerates plots/).
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
ANALYZE=$TOP/bin/analyze
OUT=$TOP/build/demo
cd "$TOP"
mkdir -p "$OUT/plots"

echo "== 1. every dataset: analyze datasets/*.csv" >&2
"$ANALYZE" -q datasets/*.csv -o "$OUT/report.txt"
"$ANALYZE" -q --format md datasets/*.csv -o "$OUT/report.md"
"$ANALYZE" -q --format json datasets/*.csv -o "$OUT/report.json"
groups=$(grep -c '"mean"' "$OUT/report.json" || true)
echo "   $(ls datasets/*.csv | wc -l) datasets, report in build/demo/report.{txt,md,json}" >&2

echo "== 2. analyze --explain datasets/eurosys21-fig10-boot.csv" >&2
"$ANALYZE" --explain --target-ci 2% datasets/eurosys21-fig10-boot.csv

echo "== 3. figures: analyze datasets/*.csv --plot -o build/demo/plots" >&2
"$ANALYZE" -q --plot -o "$OUT/plots" datasets/*.csv >/dev/null
echo "   $(ls "$OUT/plots" | wc -l) figures in build/demo/plots" \
	"(${groups} group summaries in the JSON report)" >&2
