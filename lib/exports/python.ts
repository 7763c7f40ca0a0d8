/**
 * Python script export: a command-line program that rebuilds the chart image
 * with pandas + matplotlib from the data embedded in it.
 *
 *   python3 chart.py --output chart.png [--width 800 --height 450 --scale 2]
 *                    [--verbose] [--dry-run]
 *
 * Exit codes: 0 done, 1 the chart could not be drawn or written, 2 bad
 * arguments, 3 a required package is missing. `--dry-run` draws the chart but
 * writes nothing.
 */
import type { Exporter, ExportInput, ExportResult } from "./types.ts";
import { NoOptions, VECTOR_DEFAULTS } from "./options.ts";
import { pythonChart } from "./python_chart.ts";

function indent(code: string, by = "    "): string {
  return code.split("\n").map((line) => line ? by + line : line).join("\n");
}

/** Returns the source of a script that rebuilds `input`'s chart image. */
export function chartScript(input: ExportInput): string {
  const chart = pythonChart(input);
  return `#!/usr/bin/env python3
"""Rebuilds a chart exported from Chartroom as an image (see TITLE below).

Usage:
    python3 chart.py --output chart.png [--width 800] [--height 450] [--scale 2]
    python3 chart.py --dry-run --verbose

The data is embedded below. Needs pandas and matplotlib:
    pip install -r requirements.txt

Exit codes: 0 done, 1 the chart could not be drawn or written,
2 bad arguments, 3 a required Python package is missing.
"""
import argparse
import logging
import math
import sys
from pathlib import Path

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
${
    chart.imports.map((line) => `    ${line}\n`).join("")
  }except ImportError as error:  # reported by main(), so --help still works
    MISSING = error
else:
    MISSING = None

LOG = logging.getLogger("chart")

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_MISSING_PACKAGE = 3

IMAGE_TYPES = (".png", ".svg", ".pdf")

# Chart settings
${chart.settings}

${chart.helpers}


# The data: the result of the chart's query, frozen when it was made.
${chart.data}


def build_figure(figsize):
    """Returns the chart drawn as a matplotlib figure of figsize inches."""
${indent(chart.steps.map((s) => s.code).join("\n\n"))}

${indent(chart.draw)}
    return fig


def parse_args(argv):
    """Returns the parsed command line; exits with 2 on a bad one."""
    parser = argparse.ArgumentParser(
        description="Rebuild a Chartroom chart as an image (PNG, SVG or PDF, by extension).",
    )
    parser.add_argument(
        "-o", "--output", default="chart.png",
        help="image file to write (default: %(default)s)",
    )
    parser.add_argument("--width", type=int, default=${VECTOR_DEFAULTS.width}, help="width in CSS pixels (default: %(default)s)")
    parser.add_argument("--height", type=int, default=${VECTOR_DEFAULTS.height}, help="height in CSS pixels (default: %(default)s)")
    parser.add_argument("--scale", type=int, default=2, help="pixels per CSS pixel, 1-4 (default: %(default)s)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each step")
    parser.add_argument("-n", "--dry-run", action="store_true", help="draw the chart but write nothing")
    args = parser.parse_args(argv)
    if Path(args.output).suffix.lower() not in IMAGE_TYPES:
        parser.error("--output must end in " + ", ".join(IMAGE_TYPES))
    if not 100 <= args.width <= 4000 or not 100 <= args.height <= 4000:
        parser.error("--width and --height must be from 100 to 4000")
    if not 1 <= args.scale <= 4:
        parser.error("--scale must be from 1 to 4")
    return args


def main(argv=None):
    """Runs the command line; returns the exit code."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    # --verbose is about this script's steps, not matplotlib's internals.
    LOG.setLevel(logging.DEBUG if args.verbose else logging.INFO)
    # matplotlib's warnings (a glyph missing from the font) go to the log.
    logging.captureWarnings(True)
    if MISSING is not None:
        LOG.error("missing Python package %r: pip install -r requirements.txt", MISSING.name)
        return EXIT_MISSING_PACKAGE
    output = Path(args.output)
    LOG.debug("drawing the %s chart %r from %d rows", CHART_TYPE, TITLE, len(ROWS))
    LOG.debug("image: %s, %d x %d CSS px at scale %d", output, args.width, args.height, args.scale)
    try:
        fig = build_figure((args.width / 100, args.height / 100))
    except Exception:  # noqa: BLE001 - any failure to draw is reported the same way
        LOG.exception("could not draw the chart")
        return EXIT_FAILED
    size = (args.width * args.scale, args.height * args.scale)
    if args.dry_run:
        LOG.info("dry run: would write %s (%d x %d px); nothing written", output, *size)
        return EXIT_OK
    try:
        if output.parent != Path(""):
            output.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(output, dpi=100 * args.scale)
    except (OSError, ValueError) as error:
        LOG.error("could not write %s: %s", output, error)
        return EXIT_FAILED
    LOG.info("wrote %s (%d x %d px)", output, *size)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
`;
}

/** Returns the chart as a Python script. */
export function renderPython(input: ExportInput): ExportResult {
  return {
    body: new TextEncoder().encode(chartScript(input)),
    mime: "text/x-python; charset=utf-8",
    extension: "py",
  };
}

/** The Python script exporter. */
export const pythonExporter: Exporter<Record<string, never>> = {
  mime: "text/x-python; charset=utf-8",
  extension: "py",
  options: NoOptions,
  render: renderPython,
};
