/**
 * The shape of one language's words: what the planner reads in a request
 * (`Vocabulary`, every entry folded — lower case, no accents) and what the
 * assistant and the session page say (`Texts`). Each language fills both in
 * its own module (`en.ts`, `es.ts`, `pt.ts`), so all of a language lives in
 * one place.
 */
import type { ColumnType } from "@/lib/data/table.ts";

export type Lang = "en" | "es" | "pt";
export const LANGS = ["en", "es", "pt"] as const;

export type Agg = "avg" | "sum" | "count" | "min" | "max" | "median";
export type Bucket =
  | "day"
  | "week"
  | "month"
  | "quarter"
  | "year"
  | "decade"
  | Cycle;

/** A part of a date that repeats: the month of the year, the day of the week, the hour of the day. */
export type Cycle = "month_of_year" | "weekday" | "hour_of_day";
/** Chart kinds a request can name (horizontal and stacked bars are flags of `bar`). */
export type ChartKind =
  | "line"
  | "bar"
  | "area"
  | "pie"
  | "donut"
  | "scatter"
  | "histogram"
  | "heatmap";

/** A list of folded words or phrases (phrases are space-separated words). */
export type Words = readonly string[];

/** What the planner reads. Every entry is folded (see `fold`). */
export interface Vocabulary {
  /** Function words and chat filler, ignored when matching columns. */
  stopwords: Words;
  /** Words that name a chart without choosing its kind ("chart", "gráfico"). */
  chartNouns: Words;
  chartKinds: Record<ChartKind, Words>;
  /** Kind words that are ordinary words too: they need a chart noun or a preposition next to them. */
  weakKindWords: Words;
  /** Prepositions that make a weak kind word a kind ("as a pie", "en barras"). */
  kindPrepositions: Words;
  horizontal: Words;
  stacked: Words;
  /** Words that ask for a share of a whole (a pie when the parts are few). */
  share: Words;
  /** Words that ask for a distribution (a histogram). */
  distribution: Words;
  /** A histogram's bins: with a number next to them, their width ("5 degree bins"). */
  binWords: Words;
  /** Words that put two measures against each other (a scatter plot). */
  versus: Words;
  aggregations: Record<Agg, Words>;
  /** "distinct", "unique": count different values, not rows. */
  distinct: Words;
  buckets: Record<Bucket, Words>;
  /** Nouns for periods: before "of" they name a thing ("years of marriage"), not a grain. */
  periodNouns: Words;
  /** Phrases that ask for a time axis without naming its grain. */
  timePhrases: Words;
  /** "last", "past": before a count and a unit, a window ending at the data's last date. */
  window: Words;
  /** "this year": the last calendar period present. */
  thisPeriod: Words;
  /** Number words → values ("five" → 5). */
  numbers: Readonly<Record<string, number>>;
  /** Words before or after a number that make it a top-N ("top 5", "5 best"). */
  top: Words;
  bottom: Words;
  /** Superlatives that sort descending or ascending ("most", "least"). */
  most: Words;
  least: Words;
  sortDesc: Words;
  sortAsc: Words;
  sort: Words;
  alphabetical: Words;
  /** Words before a value that exclude it ("except Lagos"). */
  negation: Words;
  /** "instead", "now": a named measure replaces the current one. */
  instead: Words;
  /** "only 2025": a filter that replaces the current one. */
  only: Words;
  /** "also Accra": a filter value added to the current ones. */
  add: Words;
  /** Words before a year that open or close a range. */
  since: Words;
  until: Words;
  /** "before" and "after" move a year bound by one. */
  before: Words;
  after: Words;
  /** "between 2003 and 2005": opens a range of two bounds. */
  between: Words;
  /** Words joining two bounds of a range ("to", "and", "hasta"). */
  rangeJoin: Words;
  /** "onwards" after a year. */
  onwards: Words;
  /** Comparisons before a number ("more than 4", "at least 100"). */
  comparisons: Readonly<Record<"gt" | "gte" | "lt" | "lte" | "eq", Words>>;
  /** Words that make the column after them the grouping ("by", "per", "for each"). */
  by: Words;
  /** Words that say what a value belongs to ("of", "de"). */
  of: Words;
  /** Words before a value that keep only it ("for", "in", "only"). */
  forWords: Words;
  /** Articles before a number: "the 3 …", "los 3 …". */
  articles: Words;
  /** Month names and their abbreviations, January first; several lists allowed. */
  months: readonly Words[];
  /** Words that ask for a file of the current chart. */
  export: Words;
  /**
   * Words and phrases for export formats → the format's id; each format's own
   * name (`png`, `xlsx`…) comes from the export registry, not from here.
   */
  formats: Readonly<Record<string, ExportMenuFormat>>;
  /** Words that are probably this language's and rarely another's. */
  hints: Words;
  /**
   * Words for data columns → English words that name the same thing
   * ("potencia" → "horsepower power"). In `en.ts`: English synonyms and
   * abbreviations ("mpg" → "miles per gallon"); a value with spaces is a
   * phrase the word stands for.
   */
  lexicon: Readonly<Record<string, string>>;
  /** Words for quantities that add up (summed when no aggregation is named). */
  additive: Words;
  /** Name parts of rates and averages, which do not add up ("per", "rate"). */
  ratios: Words;
  /** Name parts that make a whole-number column a label, not a quantity. */
  labelNumbers: Words;
  /** Name parts that mark an identifier column ("id", "code"). */
  identifiers: Words;
  /** Name parts of a column of years. */
  yearNames: Words;
  /** Name parts of latitude and longitude columns. */
  latitude: Words;
  longitude: Words;
  /** Name parts that say little alone ("code", "name", "value"). */
  genericNames: Words;
  /** Unit words that may end a column name ("mm", "usd"). */
  units: Words;
  /** Workflow operation words (see `workflow_plan.ts`). */
  workflow: Readonly<
    Record<
      | "dedupe"
      | "normalize"
      | "zscore"
      | "fill"
      | "rename"
      | "join"
      | "sortRows"
      | "filterRows"
      | "select"
      | "columns"
      | "then"
      | "mean"
      | "median"
      | "mode"
      | "with"
      | "fileWords"
      | "descending"
      | "renameTo"
      | "joinOn"
      | "left"
      | "full"
      | "clauseAnd"
      | "ne"
      | "contains"
      | "eq",
      Words
    >
  >;
}

/** What the assistant and the session page say, in one language. */
export interface Texts {
  agg: Record<Agg, string>;
  /** "Number of rows" for a count of rows. */
  rows: string;
  /** "Number of airports": a count of rows named by the request's noun. */
  countOf: (noun: string) => string;
  /** "by" in titles. */
  by: string;
  bucket: Record<Bucket, string>;
  /** Short names of the months (January first) and weekdays (Monday first), for a cyclic axis. */
  monthNames: readonly string[];
  weekdayNames: readonly string[];
  /** Chart kind with its article, for replies ("a bar chart"). */
  kind: Record<ChartKind | "horizontalBar" | "stackedBar", string>;
  here: string;
  updated: string;
  last: (n: number, unit: Bucket) => string;
  since: string;
  until: string;
  except: string;
  top: (n: number) => string;
  bottom: (n: number) => string;
  compare: Record<"gt" | "gte" | "lt" | "lte" | "eq", string>;
  distributionOf: string;
  download: (format: string) => string;
  which: (options: string[]) => string;
  whichMany: (column: string) => string;
  groupBy: string;
  unknown: (words: string, dataset: string) => string;
  scatterNeeds: string;
  histogramNeeds: string;
  format: string;
  noChart: string;
  noChartYet: string;
  noData: string;
  help: string;
  columns: string;
  numbers: string;
  types: Record<
    "integer" | "number" | "boolean" | "date" | "datetime" | "text",
    string
  >;
  /** Example requests (help texts) built from a dataset's columns. */
  example: {
    avgBy: (measure: string, dim: string) => string;
    avgMonthly: (measure: string, value?: string) => string;
    countBy: (dim: string) => string;
    avg: (measure: string) => string;
  };
  cannotExport: (format: string, formats: string) => string;
  notStored: string;
  turnFailed: string;
  workflowRunning: (dataset: string, steps: string) => string;
  workflowWhich: string;
  workflowDone: (rows: string, file?: string) => string;
  workflowStopped: (step: number, message: string) => string;
  workflowStillRunning: string;
  /** What the assistant says when a language model answers (`lib/agent/model/`). */
  model: {
    /** Said before the built-in planner's answer when the model could not answer. */
    fallback: string;
    /** Stands in a model's reply where it wrote a figure the data does not have. */
    figureRemoved: string;
  };
  /** How each workflow step is described in a reply. */
  steps: {
    then: string;
    dedupe: (columns?: string) => string;
    convert: (format: string) => string;
    normalize: (columns: string, method: string) => string;
    fill: (columns: string | undefined, how: string) => string;
    fillWith: (value: string) => string;
    sort: (by: string) => string;
    descending: string;
    filter: (conditions: string) => string;
    and: string;
    select: (columns: string) => string;
    rename: (pairs: string) => string;
    renamePair: (from: string, to: string) => string;
    join: (dataset: string) => string;
    sql: string;
  };
  /** Interpretation sentences (see `interpret.ts`). */
  interpret: {
    empty: string;
    range: (
      s: string,
      lo: string,
      loAt: string,
      hi: string,
      hiAt: string,
    ) => string;
    change: (
      from: string,
      to: string,
      a: string,
      b: string,
      pct: string,
    ) => string;
    same: (from: string, to: string, a: string) => string;
    highest: (hi: string, hv: string, lo: string, lv: string) => string;
    share: (x: string, pct: string) => string;
    onAverage: (
      n: number,
      hi: string,
      hv: string,
      lo: string,
      lv: string,
    ) => string;
    overall: (lo: string, loAt: string, hi: string, hiAt: string) => string;
    points: (n: number, x: string, y: string, xr: string, yr: string) => string;
    corr: (
      x: string,
      y: string,
      r: string,
      strength: string,
      dir: string,
    ) => string;
    up: string;
    down: string;
    flat: string;
    strong: string;
    moderate: string;
    weak: string;
    single: (s: string, v: string, at: string) => string;
    to: string;
    cell: (hi: string, hv: string, lo: string, lv: string) => string;
  };
  /** Words of the pages and islands. */
  ui: Readonly<Record<UiKey, string>>;
}

/**
 * Keys of the page words every language defines. A value may hold `{name}`
 * placeholders (filled by `lib/client/ui.ts`); a key ending in `_one` or
 * `_other` is the form for a count of exactly one or any other.
 */
export type UiKey =
  // layout, home, and the pages without a session
  | "brandTagline"
  | "appTagline"
  | "homeIntro"
  | "featuresTitle"
  | "featCharts"
  | "featChartsText"
  | "featData"
  | "featDataText"
  | "featExports"
  | "featExportsText"
  | "featWorkflows"
  | "featWorkflowsText"
  | "featVersions"
  | "featVersionsText"
  | "newSession"
  | "yourSessions"
  | "noSessions"
  | "apiTokensHint"
  | "apiToken"
  | "restoreTitle"
  | "restoreAbout"
  | "restoreButton"
  | "tryOne"
  | `sample${1 | 2 | 3 | 4 | 5 | 6 | 7}`
  | "untitled"
  | "deleteNamed"
  | "goHome"
  | "notFound"
  | "notFoundText"
  | "linkInvalid"
  | "linkInvalidText"
  | "linkExpired"
  | "linkExpiredText"
  | "deleteTitle"
  | "deleteText_one"
  | "deleteText_other"
  | "deleteSession"
  | "cancel"
  // the session page and its islands
  | "delete"
  | "demoData"
  | `demo.${DemoName}`
  | "synthetic"
  | "syntheticTitle"
  | `type.${ColumnTypeName}`
  | "rows"
  | "rowCount_one"
  | "rowCount_other"
  | "columnCount_one"
  | "columnCount_other"
  | "chat"
  | "chatEmpty"
  | "message"
  | "send"
  | "askPlaceholder"
  | "thinking"
  | "error"
  | "couldNotSend"
  | "serverAnswered"
  | "noAnswer"
  | "openInCanvas"
  | "stepProgress"
  | `op.${WorkflowOperation}`
  | "loadingChart"
  | "chartUnavailable"
  | "previewOf"
  | "yourData"
  | "chooseFile"
  | "dropHint"
  | "upTo"
  | "uploadFile"
  | "uploading"
  | "reading"
  | "checking"
  | "uploadProgress"
  | "tooBig"
  | "couldNotUpload"
  | "repairedWith"
  | "confirmDeleteDataset"
  | "couldNotDelete"
  | "previewInCanvas"
  | "canvas"
  | "charts"
  | "chartsCount"
  | "noCharts"
  | "chart"
  | "data"
  | "query"
  | "interpretation"
  | `kind.${ChartKind}`
  | "couldNotOpen"
  | "versions"
  | "version"
  | "newestMark"
  | "lookingAt"
  | "restore"
  | "showNewest"
  | "restored"
  | "couldNotRestore"
  | "queryAbout"
  | "params"
  | "showingOf"
  | "download"
  | "export"
  | `format.${ExportMenuFormat}`
  | `format.${ExportMenuFormat}.about`
  | "versionFiles"
  | "makingLink"
  | "linkCopied"
  | "copyThisLink"
  | "couldNotLink"
  | "size"
  | "scale"
  | "delimiter"
  | "comma"
  | "semicolon"
  | "tab"
  | "bom"
  | "copyLink"
  | "sessionZip"
  | "sessionZipAbout"
  | "sessionDump"
  | "sessionDumpAbout"
  | "share"
  | "shareChart"
  | "shareVersion"
  | "shareSession"
  | "shareExpires"
  | "expires.never"
  | "expires.1d"
  | "expires.7d"
  | "expires.30d"
  | "shareMade"
  | "shareEmbed"
  | "shareLinks"
  | "shareOpened"
  | "shareNotOpened"
  | "shareRevoke"
  | "shareKind.session"
  | "shareKind.chart"
  | "couldNotShare"
  | "dataset"
  | "backToCharts"
  | "sheet"
  | "repairs_one"
  | "repairs_other"
  | "statValues"
  | "statEmpty"
  | "statInvalid"
  | "statDistinct"
  | "statMin"
  | "statMax"
  | "statMean"
  | "statTop"
  | "previous"
  | "next"
  | "rowsRange";

/** The built-in demo datasets, by name (`lib/data/demo.ts`). */
export type DemoName = "air_quality" | "bank_ratios" | "sales";
/** Column types as the dataset views name them. */
export type ColumnTypeName = ColumnType;
/** Workflow operations, as progress events name them (`lib/workflows/schema.ts`). */
export type WorkflowOperation =
  | "select_columns"
  | "rename_columns"
  | "drop_duplicates"
  | "filter"
  | "sort"
  | "normalize"
  | "fill_missing"
  | "sql"
  | "join"
  | "convert";
/** The export menu's formats, in menu order (`lib/exports/catalog.ts`). */
export type ExportMenuFormat =
  | "png"
  | "svg"
  | "pdf"
  | "csv"
  | "xlsx"
  | "xml"
  | "json"
  | "html"
  | "ipynb"
  | "py"
  | "requirements"
  | "zip";

/** Page words picked for a page or an island, with the locale for numbers and dates. */
export type UiText<K extends UiKey = UiKey> =
  & Readonly<Record<K, string>>
  & { readonly locale: string };

/** Everything of one language. */
export interface Language {
  code: Lang;
  /** BCP 47 locale for numbers and dates. */
  locale: string;
  /** Reduces a folded word to its stem (Snowball). */
  stem: (word: string) => string;
  vocab: Vocabulary;
  text: Texts;
}
