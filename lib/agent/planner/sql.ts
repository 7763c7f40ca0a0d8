/**
 * Compiles a `ChartQuery` into one SQLite statement over table `data`.
 * Identifiers are quoted from the dataset's own schema and every value —
 * including anything the person typed — is a `?` parameter, so no request
 * text ever becomes SQL.
 */
import type { DatasetProfile } from "@/lib/data/table.ts";
import { quoteIdent } from "@/lib/data/query.ts";
import type { Bucket, ChartQuery, Filter, Measure } from "./types.ts";

type Param = string | number;

/** Whether a column stores years as numbers (its range filters compare numbers). */
function yearNumbers(profile: DatasetProfile, column: string): boolean {
  const c = profile.columns.find((x) => x.name === column);
  return !!c && (c.type === "integer" || c.type === "number");
}

/**
 * The SQL expression that buckets a time column at a grain (quarters are
 * labelled by their first month, decades as "1990s").
 */
export function timeExpr(
  column: string,
  bucket: Bucket,
  numericYears: boolean,
  sub?: { column: string; unit: "quarter" | "month" },
): string {
  const c = quoteIdent(column);
  // Cycles: "01"–"12", "0"–"6" (Monday first) and "00"–"23", which sort in
  // order and become names in the snapshot (snapshot.ts).
  if (bucket === "month_of_year") {
    return numericYears && sub
      ? `printf('%02d', CAST(${quoteIdent(sub.column)} AS INTEGER))`
      : `substr(${c}, 6, 2)`;
  }
  if (bucket === "weekday") {
    return `CAST((CAST(strftime('%w', substr(${c}, 1, 10)) AS INTEGER) + 6) % 7 AS TEXT)`;
  }
  if (bucket === "hour_of_day") return `substr(${c}, 12, 2)`;
  if (bucket === "decade") {
    const year = numericYears
      ? `CAST(${c} AS INTEGER)`
      : `CAST(substr(${c}, 1, 4) AS INTEGER)`;
    return `printf('%ds', (${year} / 10) * 10)`;
  }
  if (numericYears) {
    if (!sub || bucket === "year") return `CAST(CAST(${c} AS INTEGER) AS TEXT)`;
    const s = `CAST(${quoteIdent(sub.column)} AS INTEGER)`;
    const month = sub.unit === "quarter"
      ? `(${s} - 1) * 3 + 1`
      : bucket === "quarter"
      ? `((${s} - 1) / 3) * 3 + 1`
      : s;
    return `printf('%04d-%02d', CAST(${c} AS INTEGER), ${month})`;
  }
  switch (bucket) {
    case "day":
      return `substr(${c}, 1, 10)`;
    case "week":
      return `date(substr(${c}, 1, 10), '-6 days', 'weekday 1')`;
    case "month":
      return `substr(${c}, 1, 7)`;
    case "quarter":
      return `substr(${c}, 1, 5) || printf('%02d', ((CAST(substr(${c}, 6, 2) AS INTEGER) - 1) / 3) * 3 + 1)`;
    case "year":
      return `substr(${c}, 1, 4)`;
  }
}

function aggExpr(
  m: Measure,
  valueExpr: (col: string) => string,
  rowExpr: string,
): string {
  if (m.agg === "count") {
    if (m.column === null) return `COUNT(${rowExpr})`;
    return `COUNT(${m.distinct ? "DISTINCT " : ""}${valueExpr(m.column)})`;
  }
  const fn = { avg: "AVG", sum: "SUM", min: "MIN", max: "MAX", median: "AVG" }[
    m.agg
  ];
  return `${fn}(${valueExpr(m.column ?? "")})`;
}

/** Names of the series columns a query produces, in order. */
export function seriesNames(q: ChartQuery): string[] {
  if (q.x.kind === "value" || q.x.kind === "bins") return [q.measures[0].name];
  return q.split ? q.split.values : q.measures.map((m) => m.name);
}

function whereOf(
  filters: Filter[],
  profile: DatasetProfile,
): { where: string[]; params: Param[] } {
  const where: string[] = [];
  const params: Param[] = [];
  for (const f of filters) {
    const c = quoteIdent(f.column);
    if (f.op === "range") {
      const numeric = yearNumbers(profile, f.column);
      const bound = (iso: string) => numeric ? Number(iso.slice(0, 4)) : iso;
      if (f.gte !== undefined) {
        where.push(`${c} >= ?`);
        params.push(bound(f.gte));
      }
      if (f.lt !== undefined) {
        where.push(`${c} < ?`);
        params.push(bound(f.lt));
      }
    } else if (f.op === "in" || f.op === "not_in") {
      if (!f.values.length) continue;
      const marks = f.values.map(() => "?").join(", ");
      where.push(
        f.op === "in"
          ? `${c} IN (${marks})`
          : `(${c} IS NULL OR ${c} NOT IN (${marks}))`,
      );
      params.push(...f.values);
    } else {
      const sign = { gt: ">", gte: ">=", lt: "<", lte: "<=", eq: "=" }[f.op];
      where.push(`${c} ${sign} ?`);
      params.push(f.value);
    }
  }
  return { where, params };
}

/**
 * Turns a query into SQL over table `data`: identifiers quoted, every value a
 * `?` parameter. Split series come back as columns s1…sN in `split.values`
 * order (so no data value is written into the SQL); `toSnapshot` names them.
 */
export function buildSql(
  query: ChartQuery,
  profile: DatasetProfile,
): { sql: string; params: Param[] } {
  const types = new Map(profile.columns.map((c) => [c.name, c.type]));
  const { where, params: whereParams } = whereOf(query.filters, profile);
  const x = query.x;
  const xCol = quoteIdent(x.column);

  if (x.kind === "value") {
    const y = quoteIdent(query.measures[0].column!);
    const cols = [
      `${xCol} AS ${quoteIdent(x.name)}`,
      `${y} AS ${quoteIdent(query.measures[0].name)}`,
    ];
    const conds = [`${xCol} IS NOT NULL`, `${y} IS NOT NULL`, ...where];
    if (query.split) {
      const g = quoteIdent(query.split.column);
      cols.push(`${g} AS ${quoteIdent(query.split.column)}`);
      conds.push(`${g} IS NOT NULL`);
      if (query.split.values.length) {
        conds.push(`${g} IN (${query.split.values.map(() => "?").join(", ")})`);
        whereParams.push(...query.split.values);
      }
    }
    return {
      sql: `SELECT ${cols.join(", ")} FROM data WHERE ${
        conds.join(" AND ")
      } LIMIT ?`,
      params: [...whereParams, query.limit ?? 20000],
    };
  }

  if (x.kind === "bins") {
    // Bin k holds start + k·width ≤ v < start + (k+1)·width; the maximum joins the last bin.
    const v = `CAST(${xCol} AS REAL)`;
    const sql =
      `WITH b AS (SELECT MAX(0, CAST((${v} - ?) / ? AS INTEGER)) AS k FROM data WHERE ${
        [`${xCol} IS NOT NULL`, ...where].join(" AND ")
      }) SELECT ? + ? * k AS ${quoteIdent(x.name)}, COUNT(*) AS ${
        quoteIdent(query.measures[0].name)
      } FROM b GROUP BY k ORDER BY k`;
    return {
      sql,
      params: [x.start, x.width, ...whereParams, x.start, x.width],
    };
  }

  const numericYears = x.kind === "time" && yearNumbers(profile, x.column);
  const keyExpr = x.kind === "time"
    ? timeExpr(x.column, x.bucket, numericYears, x.sub)
    : xCol;
  const conds = [`${xCol} IS NOT NULL`, ...where];
  if (x.kind === "time" && x.sub && x.bucket !== "year") {
    conds.push(`${quoteIdent(x.sub.column)} IS NOT NULL`);
  }
  const split = query.split;
  const splitCol = split ? quoteIdent(split.column) : "";
  const alreadyFiltered = split &&
    query.filters.some((f) =>
      f.op === "in" && f.column === split.column &&
      f.values.length === split.values.length &&
      split.values.every((v) => f.values.includes(v))
    );
  if (split && !alreadyFiltered) {
    conds.push(`${splitCol} IN (${split.values.map(() => "?").join(", ")})`);
    whereParams.push(...split.values);
  }
  const names = seriesNames(query);
  const params: Param[] = [];
  let sql: string;
  if (query.measures[0].agg === "median") {
    const m = query.measures[0];
    const v = quoteIdent(m.column!);
    const part = split ? "k, g" : "k";
    const base = `SELECT ${keyExpr} AS k${
      split ? `, ${splitCol} AS g` : ""
    }, ${v} AS v FROM data WHERE ${
      [...conds, `${v} IS NOT NULL`].join(" AND ")
    }`;
    const outer = split
      ? split.values.map((_, i) =>
        `MAX(CASE WHEN g = ? THEN v END) AS ${quoteIdent(`s${i + 1}`)}`
      ).join(", ")
      : `MAX(v) AS ${quoteIdent(names[0])}`;
    // The CTE's parameters come first in the statement text.
    params.push(...whereParams);
    if (split) params.push(...split.values);
    sql =
      `WITH base AS (${base}), ranked AS (SELECT ${part}, v, ROW_NUMBER() OVER (PARTITION BY ${part} ORDER BY v) AS rn, COUNT(*) OVER (PARTITION BY ${part}) AS n FROM base), med AS (SELECT ${part}, AVG(v) AS v FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY ${part}) SELECT k AS ${
        quoteIdent(x.name)
      }, ${outer} FROM med GROUP BY k`;
  } else {
    const series = split
      ? split.values.map((value, i) => {
        params.push(value);
        return `${
          aggExpr(
            query.measures[0],
            (c) => `CASE WHEN ${splitCol} = ? THEN ${quoteIdent(c)} END`,
            `CASE WHEN ${splitCol} = ? THEN 1 END`,
          )
        } AS ${quoteIdent(`s${i + 1}`)}`;
      })
      : query.measures.map((m) =>
        `${aggExpr(m, quoteIdent, "*")} AS ${quoteIdent(m.name)}`
      );
    sql = `SELECT ${keyExpr} AS ${quoteIdent(x.name)}, ${
      series.join(", ")
    } FROM data WHERE ${conds.join(" AND ")} GROUP BY 1`;
    params.push(...whereParams);
  }
  const textX = x.kind === "category" && types.get(x.column) === "text";
  const collate = textX ? " COLLATE NOCASE" : "";
  const order = (sort: ChartQuery["sort"], first = "1") =>
    sort?.by === "value"
      ? ` ORDER BY 2 ${
        sort.dir === "asc" ? "ASC" : "DESC"
      }, ${first}${collate} ASC`
      : ` ORDER BY ${first}${collate} ${sort?.dir === "desc" ? "DESC" : "ASC"}`;
  // The top 10 shown lowest first: keep the top 10, then order them.
  const keep = query.limitDir && query.limit !== null &&
      (query.sort?.by !== "value" || query.sort.dir !== query.limitDir)
    ? query.limitDir
    : null;
  if (keep) {
    sql = `SELECT * FROM (${sql}${order({ by: "value", dir: keep })} LIMIT ?)${
      order(query.sort)
    }`;
    params.push(query.limit!);
    return { sql, params };
  }
  sql += order(query.sort);
  if (query.limit !== null) {
    sql += " LIMIT ?";
    params.push(query.limit);
  }
  return { sql, params };
}
