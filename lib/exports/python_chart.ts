/**
 * Python source that rebuilds a chart with pandas + matplotlib, shared by the
 * notebook and the script exports: the chart's settings, its data as Python
 * literals, and the steps from raw rows to a drawn figure. Drawing mirrors
 * `compileOption`: same chart type, category order, series names, colours,
 * axis names, stacking and orientation; empty categories read "(blank)" and
 * non-numeric cells are gaps. Histograms are `ax.bar` of bin-wide bars from
 * each lower edge, donuts a ring of `ax.pie`, heatmaps `ax.imshow` on the
 * same colour scale with a colorbar.
 *
 * Every string reaches Python as a JSON string literal (JSON's escapes are
 * valid Python escapes), so no title or cell can end a literal early.
 */
import { binDecimals, HEATMAP_COLORS, PALETTE } from "@/lib/charts/compile.ts";
import type { Cell, Column } from "@/lib/charts/spec.ts";
import type { ExportInput } from "./types.ts";

/** Pinned Python packages for the notebook and the script (Python 3.11–3.13). */
export const PYTHON_REQUIREMENTS = [
  ["numpy", "2.3.5"],
  ["pandas", "2.3.3"],
  ["matplotlib", "3.10.9"],
] as const;

/** Extra pinned packages to run the notebook headless (`jupyter nbconvert --execute`). */
export const NOTEBOOK_REQUIREMENTS = [
  ["ipykernel", "7.4.0"],
  ["nbconvert", "7.17.1"],
] as const;

const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Returns a Python string literal of `text` (lone surrogates become U+FFFD). */
export function pyString(text: string): string {
  return JSON.stringify(text.replace(LONE_SURROGATE, "\ufffd"));
}

/** Returns a Python literal of a snapshot cell: str, int, float or None. */
export function pyCell(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return "None";
  if (typeof cell === "number") {
    if (!Number.isFinite(cell)) return "None";
    // JS and Python print floats the same shortest way; 1e+21 is valid Python.
    return String(cell);
  }
  return pyString(cell);
}

function pyList(items: string[]): string {
  return `[${items.join(", ")}]`;
}

function labelOf(column: Column | undefined, fallback: string): string {
  return column?.label ?? column?.name ?? fallback;
}

/** The pieces of Python that rebuild one chart. */
export interface PythonChart {
  /** Imports this chart needs beyond math, matplotlib.pyplot and pandas. */
  imports: string[];
  /** Settings: title, columns drawn, names, labels, palette. */
  settings: string;
  /** Helper functions (text for matplotlib, category labels, ticks). */
  helpers: string;
  /** `COLUMNS` and `ROWS`: the data as Python literals. */
  data: string;
  /** Transformation steps, each a comment headline plus code, in order. */
  steps: { id: string; code: string }[];
  /** Code that draws the figure into `fig` using a `figsize` in inches. */
  draw: string;
}

/** Returns the Python that rebuilds `input`'s chart. */
export function pythonChart(input: ExportInput): PythonChart {
  const { spec, snapshot } = input;
  const column = (name: string) =>
    snapshot.columns.find((c) => c.name === name);
  const names = spec.series.map((s) => labelOf(column(s), s));
  const xLabel = spec.xLabel ?? labelOf(column(spec.x), spec.x);
  const pie = spec.type === "pie" || spec.type === "donut";
  const yLabel = spec.type === "scatter"
    ? spec.yLabel ?? names[0]
    : pie
    ? undefined
    : spec.type === "heatmap"
    ? spec.yLabel
    : spec.yLabel ?? (names.length === 1 ? names[0] : undefined);
  const opt = (text: string | undefined) =>
    text === undefined ? "None" : pyString(text);

  const settings = [
    `TITLE = ${pyString(spec.title)}`,
    `SUBTITLE = ${opt(spec.subtitle)}`,
    `CHART_TYPE = ${pyString(spec.type)}`,
    `X = ${pyString(spec.x)}  # column on the x axis${
      pie
        ? " (slice names)"
        : spec.type === "histogram"
        ? " (each bin's lower edge)"
        : ""
    }`,
    `SERIES = ${pyList(spec.series.map(pyString))}  # columns drawn`,
    `NAMES = ${pyList(names.map(pyString))}  # ${
      spec.type === "heatmap"
        ? "row names, top to bottom"
        : "series names in the legend"
    }`,
    ...(spec.type === "scatter"
      ? [`GROUP = ${opt(spec.group)}  # column that splits points into series`]
      : []),
    ...(spec.type === "histogram"
      ? [
        `BIN_WIDTH = ${
          pyCell(spec.binWidth ?? null)
        }  # every bin is this wide`,
        `EDGE_DECIMALS = ${
          binDecimals(spec.binWidth ?? 1, firstEdge(input))
        }  # decimals of the bin edges`,
      ]
      : []),
    `X_LABEL = ${opt(pie ? undefined : xLabel)}`,
    `Y_LABEL = ${opt(yLabel)}`,
    `PALETTE = ${pyList(PALETTE.map((c) => pyString(c)))}`,
    ...(spec.type === "heatmap"
      ? [
        `HEATMAP_COLORS = ${
          pyList(HEATMAP_COLORS.map((c) => pyString(c)))
        }  # lowest value to highest`,
      ]
      : []),
    "# Fonts and colours: 12 and 16 CSS px text, as Chartroom draws it.",
    "STYLE = {",
    '    "font.family": "sans-serif",',
    '    "font.sans-serif": ["DejaVu Sans", "Verdana"],',
    '    "font.size": 8.64,',
    '    "text.color": "#333333",',
    '    "axes.labelcolor": "#333333",',
    '    "axes.edgecolor": "#8a8d96",',
    '    "xtick.color": "#6e7079",',
    '    "ytick.color": "#6e7079",',
    '    "legend.fontsize": 8.64,',
    "}",
  ].join("\n");

  const helpers = spec.type === "histogram"
    ? `${HELPERS}\n\n\n${EDGE_HELPER}`
    : HELPERS;

  const rowLines = snapshot.rows.map((row) =>
    "    " + pyList(snapshot.columns.map((_, i) => pyCell(row[i]))) + ","
  );
  const data = [
    `COLUMNS = ${pyList(snapshot.columns.map((c) => pyString(c.name)))}`,
    `COLUMN_TYPES = ${pyList(snapshot.columns.map((c) => pyString(c.type)))}`,
    rowLines.length ? `ROWS = [\n${rowLines.join("\n")}\n]` : "ROWS = []",
  ].join("\n");

  const steps = [
    {
      id: "load",
      code: [
        "# Step 2: load the query's result, exactly as frozen with the chart.",
        "df = pd.DataFrame(ROWS, columns=COLUMNS, dtype=object)",
      ].join("\n"),
    },
    spec.type === "histogram"
      ? {
        id: "bins",
        code: [
          "# Step 3: each bin's lower edge and its count as numbers, in edge order;",
          "# a bin without an edge is left out, a count that is not a number is 0.",
          "bins = pd.DataFrame({",
          '    "edge": pd.to_numeric(df[X], errors="coerce"),',
          '    "count": pd.to_numeric(df[SERIES[0]], errors="coerce").fillna(0),',
          '}).dropna(subset=["edge"]).sort_values("edge")',
        ].join("\n"),
      }
      : spec.type === "scatter"
      ? {
        id: "points",
        code: [
          "# Step 3: both coordinates as numbers; a point missing either is dropped,",
          "# and the group column (if any) splits the points into series.",
          "points = pd.DataFrame({",
          '    "x": pd.to_numeric(df[X], errors="coerce"),',
          '    "y": pd.to_numeric(df[SERIES[0]], errors="coerce"),',
          '    "group": [category(v) for v in df[GROUP]] if GROUP else NAMES[0],',
          '}).dropna(subset=["x", "y"])',
          'groups = list(dict.fromkeys(points["group"]))  # in order of first appearance',
        ].join("\n"),
      }
      : {
        id: "types",
        code: [
          "# Step 3: x values become category labels in row order (empty ones read",
          "# (blank)); series become numbers, and anything else is a gap.",
          "categories = [category(v) for v in df[X]]",
          'values = {column: pd.to_numeric(df[column], errors="coerce") for column in SERIES}',
          ...(pie
            ? [
              "# A pie can only show positive values; the others are left out.",
              "slices = [",
              "    (i, label, value)",
              "    for i, (label, value) in enumerate(zip(categories, values[SERIES[0]]))",
              "    if pd.notna(value) and value > 0",
              "]",
            ]
            : []),
        ].join("\n"),
      },
  ];

  const imports = spec.type === "heatmap"
    ? [
      "from matplotlib.colors import LinearSegmentedColormap",
      "from matplotlib.patheffects import withStroke",
    ]
    : [];
  return { imports, settings, helpers, data, steps, draw: drawCode(input) };
}

const HELPERS = `def shown(text):
    """Text as matplotlib should print it: a $ never starts math mode."""
    text = str(text).replace("$", r"\\$")
    # Legend entries starting with "_" would be hidden.
    return "\\u200b" + text if text.startswith("_") else text


def category(value):
    """A category label as the chart shows it; empty cells read (blank)."""
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return "(blank)"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(value)


def category_ticks(axis, labels):
    """Labels a category axis, showing at most about 12 of its labels."""
    step = max(1, math.ceil(len(labels) / 12))
    ticks = list(range(0, len(labels), step))
    axis.set_ticks(ticks)
    axis.set_ticklabels([shown(labels[i]) for i in ticks])


def style(fig, ax, value_axis="y"):
    """Title, subtitle, grid and number format of the value axis ("x", "y" or "both")."""
    fig.suptitle(shown(TITLE), fontsize=11.52, fontweight="bold", color="#333333")
    if SUBTITLE:
        ax.set_title(shown(SUBTITLE), fontsize=8.64, color="#6e7079")
    ax.grid(axis=value_axis, color="#e6e8ec")
    ax.set_axisbelow(True)
    for side in ("top", "right", "bottom" if value_axis == "x" else "left"):
        ax.spines[side].set_visible(False)
    # Plain numbers with thousands separators (1,200,000), never 1e6 offsets.
    for axis in (ax.xaxis, ax.yaxis) if value_axis == "both" else (getattr(ax, value_axis + "axis"),):
        axis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.10g}"))`;

/** The lowest numeric cell of the x column (a histogram's first edge), else 0. */
function firstEdge(input: ExportInput): number {
  const index = input.snapshot.columns.findIndex((c) =>
    c.name === input.spec.x
  );
  let first = Infinity;
  for (const row of input.snapshot.rows) {
    const v = row[index];
    if (typeof v === "number" && Number.isFinite(v) && v < first) first = v;
  }
  return Number.isFinite(first) ? first : 0;
}

const EDGE_HELPER = `def edge_text(value):
    """A bin edge as the chart labels it: no float error, no trailing .0."""
    value = round(float(value), EDGE_DECIMALS) + 0.0
    return str(int(value)) if value.is_integer() and abs(value) < 1e16 else repr(value)`;

function drawCode(input: ExportInput): string {
  const { spec } = input;
  const lines = [
    "# Draw the chart.",
    "plt.rcParams.update(STYLE)",
    'fig, ax = plt.subplots(figsize=figsize, layout="constrained")',
  ];
  if (spec.type === "pie" || spec.type === "donut") {
    const ring = spec.type === "donut";
    lines.push(
      ...(ring
        ? ["# A donut: the pie's wedges as a ring 0.4 of the radius wide."]
        : []),
      "ax.pie(",
      "    [value for _, _, value in slices],",
      "    labels=[shown(label) for _, label, _ in slices],",
      "    colors=[PALETTE[i % len(PALETTE)] for i, _, _ in slices],",
      '    autopct="%1.1f%%",',
      ...(ring ? ["    pctdistance=0.8,"] : []),
      "    startangle=90,",
      "    counterclock=False,",
      `    wedgeprops={"edgecolor": "white", "linewidth": 1${
        ring ? ', "width": 0.4' : ""
      }},`,
      '    textprops={"color": "#333333"},',
      ")",
      'ax.set_aspect("equal")',
      'fig.suptitle(shown(TITLE), fontsize=11.52, fontweight="bold", color="#333333")',
      "if SUBTITLE:",
      '    ax.set_title(shown(SUBTITLE), fontsize=8.64, color="#6e7079")',
    );
  } else if (spec.type === "scatter") {
    lines.push(
      "for i, name in enumerate(groups):",
      '    part = points[points["group"] == name]',
      "    ax.scatter(",
      '        part["x"], part["y"], s=30, alpha=0.8,',
      "        color=PALETTE[i % len(PALETTE)], label=shown(name),",
      "    )",
      'style(fig, ax, value_axis="both")',
      "ax.set_xlabel(shown(X_LABEL))",
      "ax.set_ylabel(shown(Y_LABEL))",
      "if len(groups) > 1:",
      "    ax.legend(frameon=False)",
    );
  } else if (spec.type === "histogram") {
    lines.push(
      "# Bins touch: each bar starts at its lower edge and is BIN_WIDTH wide.",
      "ax.bar(",
      '    bins["edge"], bins["count"], width=BIN_WIDTH, align="edge",',
      '    color=PALETTE[0], edgecolor="white", linewidth=1, label=shown(NAMES[0]),',
      ")",
      "# The x axis is labelled with the bin edges, empty bins' included",
      "# (about 12 of them at most).",
      'first, last = (bins["edge"].iloc[0], bins["edge"].iloc[-1]) if len(bins) else (0, -BIN_WIDTH)',
      "edges = [first + k * BIN_WIDTH for k in range(round((last - first) / BIN_WIDTH) + 2)]",
      "step = max(1, math.ceil(len(edges) / 12))",
      "ax.set_xticks(edges[::step])",
      "ax.set_xticklabels([edge_text(v) for v in edges[::step]])",
      "if len(edges) > 8:",
      '    ax.tick_params(axis="x", labelrotation=30)',
      "style(fig, ax)",
      "ax.set_xlabel(shown(X_LABEL))",
      "if Y_LABEL:",
      "    ax.set_ylabel(shown(Y_LABEL))",
    );
  } else if (spec.type === "heatmap") {
    lines.push(
      "# One row of cells per series (the first on top), one column per x value;",
      "# an empty cell (not a number) stays blank.",
      "grid = pd.DataFrame([values[column].tolist() for column in SERIES], dtype=float).to_numpy()",
      'colormap = LinearSegmentedColormap.from_list("chartroom", HEATMAP_COLORS)',
      'image = ax.imshow(grid, cmap=colormap, aspect="auto", interpolation="nearest")',
      "low, high = image.get_clim()",
      "if low == high:  # one value everywhere: the scale's strongest colour",
      "    image.set_clim(high - 1, high)",
      "fig.colorbar(image, ax=ax, shrink=0.6)",
      "if grid.size <= 120:  # few cells: each shows its value",
      "    for (row, column), value in pd.DataFrame(grid).stack().items():",
      "        ax.text(",
      '            column, row, f"{value:,.10g}", ha="center", va="center", fontsize=7.92,',
      '            color="#333333", path_effects=[withStroke(linewidth=2, foreground="white")],',
      "        )",
      "category_ticks(ax.xaxis, categories)",
      "if any(len(label) > 10 for label in categories):",
      '    ax.tick_params(axis="x", labelrotation=30)',
      "ax.set_yticks(range(len(NAMES)))",
      "ax.set_yticklabels([shown(name) for name in NAMES])",
      'fig.suptitle(shown(TITLE), fontsize=11.52, fontweight="bold", color="#333333")',
      "if SUBTITLE:",
      '    ax.set_title(shown(SUBTITLE), fontsize=8.64, color="#6e7079")',
      "for side in ax.spines.values():",
      "    side.set_visible(False)",
      "ax.set_xlabel(shown(X_LABEL))",
      "if Y_LABEL:",
      "    ax.set_ylabel(shown(Y_LABEL))",
    );
  } else if (spec.type === "bar") {
    const horizontal = spec.horizontal === true;
    const bar = horizontal ? "ax.barh" : "ax.bar";
    const size = horizontal ? "height" : "width";
    const base = horizontal ? "left" : "bottom";
    lines.push("positions = list(range(len(categories)))");
    if (spec.stacked) {
      lines.push(
        "# Stacked: positive values pile up from 0, negative ones down from 0.",
        "above = [0.0] * len(categories)",
        "below = [0.0] * len(categories)",
        "for i, (column, name) in enumerate(zip(SERIES, NAMES)):",
        "    sizes = values[column].fillna(0).tolist()",
        "    bases = [above[j] if v >= 0 else below[j] for j, v in enumerate(sizes)]",
        `    ${bar}(`,
        `        positions, sizes, ${size}=0.6, ${base}=bases,`,
        "        color=PALETTE[i % len(PALETTE)], label=shown(name),",
        "    )",
        "    for j, v in enumerate(sizes):",
        "        if v >= 0:",
        "            above[j] += v",
        "        else:",
        "            below[j] += v",
      );
    } else {
      lines.push(
        "# Side by side: each category's band is shared by the series.",
        "band = 0.8 / len(SERIES)",
        "for i, (column, name) in enumerate(zip(SERIES, NAMES)):",
        "    offsets = [p - 0.4 + band * (i + 0.5) for p in positions]",
        `    ${bar}(`,
        `        offsets, values[column], ${size}=band,`,
        "        color=PALETTE[i % len(PALETTE)], label=shown(name),",
        "    )",
      );
    }
    if (horizontal) {
      lines.push(
        "category_ticks(ax.yaxis, categories)",
        "ax.invert_yaxis()  # rows read top-down, as in Chartroom",
        'style(fig, ax, value_axis="x")',
        "ax.set_ylabel(shown(X_LABEL))",
        "if Y_LABEL:",
        "    ax.set_xlabel(shown(Y_LABEL))",
      );
    } else {
      lines.push(...categoryAxisLines());
    }
    lines.push("if len(SERIES) > 1:", "    ax.legend(frameon=False)");
  } else {
    // line and area
    lines.push("positions = list(range(len(categories)))");
    const marker =
      'marker="o" if len(categories) <= 60 else None, markersize=4';
    if (spec.type === "area" && spec.stacked) {
      lines.push(
        "# Stacked areas: each series is drawn on top of the ones before it.",
        "base = pd.Series([0.0] * len(categories))",
        "for i, (column, name) in enumerate(zip(SERIES, NAMES)):",
        "    color = PALETTE[i % len(PALETTE)]",
        "    top = base + values[column].fillna(0).reset_index(drop=True)",
        "    ax.fill_between(positions, base, top, color=color, alpha=0.75, linewidth=0)",
        `    ax.plot(positions, top, color=color, linewidth=2, label=shown(name), ${marker})`,
        "    base = top",
      );
    } else {
      lines.push(
        "for i, (column, name) in enumerate(zip(SERIES, NAMES)):",
        "    color = PALETTE[i % len(PALETTE)]",
        `    ax.plot(positions, values[column], color=color, linewidth=2, label=shown(name), ${marker})`,
        ...(spec.type === "area"
          ? [
            "    ax.fill_between(positions, values[column].astype(float), color=color, alpha=0.25, linewidth=0)",
          ]
          : []),
      );
    }
    lines.push(...categoryAxisLines());
    lines.push("if len(SERIES) > 1:", "    ax.legend(frameon=False)");
  }
  return lines.join("\n");
}

function categoryAxisLines(): string[] {
  return [
    "category_ticks(ax.xaxis, categories)",
    "if any(len(label) > 10 for label in categories):",
    '    ax.tick_params(axis="x", labelrotation=30)',
    "style(fig, ax)",
    "ax.set_xlabel(shown(X_LABEL))",
    "if Y_LABEL:",
    "    ax.set_ylabel(shown(Y_LABEL))",
  ];
}

/** Returns requirements.txt: pinned packages, the notebook's extras included. */
export function requirementsTxt(): string {
  const line = ([name, version]: readonly [string, string]) =>
    `${name}==${version}`;
  return [
    "# Python packages to rebuild Chartroom charts (tested with Python 3.11-3.13).",
    "#   pip install -r requirements.txt",
    "# The script and the notebook:",
    ...PYTHON_REQUIREMENTS.map(line),
    "# To run the notebook headless (jupyter nbconvert --to notebook --execute):",
    ...NOTEBOOK_REQUIREMENTS.map(line),
    "",
  ].join("\n");
}
