/**
 * The planner over table shapes people bring, each beside the demo data as
 * in every session: names abbreviated as databases export them, names that
 * hold a statistic (temp_max), daily rows counted per year, and numbers that
 * pick a group ("PSI 1"). Each checks the chart a person would see.
 */
import assert from "node:assert/strict";
import { planRequest } from "@/lib/agent/planner/mod.ts";
import type { ChartQuery, Plan } from "@/lib/agent/planner/types.ts";
import { getDemoDatasets } from "@/lib/data/demo.ts";
import { type DatasetProfile, profileTable } from "@/lib/data/table.ts";
import { ingest } from "@/tests/data/_ingest.ts";

const demos = getDemoDatasets().map((d) => profileTable(d.id, d.name, d.table));

async function upload(name: string, csv: string): Promise<DatasetProfile> {
  const result = await ingest(csv, name);
  return { id: `upload:${name}`, name, ...result.schema.profile };
}

/** Plans `turns` in order in one session; returns the last plan. */
function chat(data: DatasetProfile, ...turns: string[]): Plan {
  let current = null;
  let plan: Plan | null = null;
  for (const turn of turns) {
    plan = planRequest(turn, { datasets: [data, ...demos], current });
    if (plan.kind === "chart") {
      current = { artifactId: "a1", query: plan.query, spec: plan.spec };
    }
  }
  return plan!;
}

function query(plan: Plan): ChartQuery {
  assert.equal(plan.kind, "chart", JSON.stringify(plan).slice(0, 300));
  return (plan as Extract<Plan, { kind: "chart" }>).query;
}

const ORDERS = [
  "order_id,cust_id,prod_cat_cd,ord_dt,qty,unit_prc,disc_pct,tot_amt,store_rgn,pmt_mthd",
  ...Array.from({ length: 60 }, (_, i) =>
    [
      1000 + i,
      i % 17,
      ["ELEC", "HOME", "TOYS"][i % 3],
      `2024-${String(1 + (i % 12)).padStart(2, "0")}-${10 + (i % 9)}`,
      1 + (i % 5),
      (5 + i * 1.5).toFixed(2),
      [0, 5, 10][i % 3],
      ((1 + (i % 5)) * (5 + i * 1.5)).toFixed(2),
      ["north", "south", "east", "west"][i % 4],
      ["card", "cash"][i % 2],
    ].join(",")),
].join("\n");

Deno.test("planner shapes: a database export's abbreviated names answer plain words, not the demo's", async () => {
  const orders = await upload("orders.csv", ORDERS);
  const total = query(chat(orders, "total amount by product category"));
  assert.equal(total.datasetId, orders.id);
  assert.deepEqual(total.measures.map((m) => [m.agg, m.column]), [
    ["sum", "tot_amt"],
  ]);
  assert.equal(total.x.column, "prod_cat_cd");
  // The demo sales table has "units" and "region"; the upload fits better.
  const price = query(chat(orders, "average unit price by store region"));
  assert.equal(price.datasetId, orders.id);
  assert.deepEqual(price.measures.map((m) => m.column), ["unit_prc"]);
  assert.equal(price.x.column, "store_rgn");
  const payment = query(chat(orders, "average discount by payment method"));
  assert.deepEqual(payment.measures.map((m) => m.column), ["disc_pct"]);
  assert.equal(payment.x.column, "pmt_mthd");
  const customers = query(
    chat(orders, "number of distinct customers by region"),
  );
  assert.equal(customers.datasetId, orders.id);
  assert.deepEqual(customers.measures.map((m) => [m.column, m.distinct]), [
    ["cust_id", true],
  ]);
  const monthly = query(chat(orders, "valor total por região e mês"));
  assert.equal(monthly.x.column, "ord_dt");
  assert.equal(monthly.split?.column, "store_rgn");
});

const WEATHER = [
  "date,precipitation,temp_max,temp_min,wind,weather",
  ...Array.from({ length: 3 * 365 }, (_, i) => {
    const day = new Date(Date.UTC(2012, 0, 1 + i)).toISOString().slice(0, 10);
    return [
      day,
      (i % 7) * 1.5,
      (10 + 10 * Math.sin(i / 58)).toFixed(1),
      (2 + 8 * Math.sin(i / 58)).toFixed(1),
      (2 + (i % 5)).toFixed(1),
      ["rain", "sun", "fog", "drizzle", "snow"][i % 5],
    ].join(",");
  }),
].join("\n");

Deno.test("planner shapes: a name that holds a statistic is that column, in any order and language", async () => {
  const weather = await upload("seattle-weather.csv", WEATHER);
  for (
    const [request, agg] of [
      ["average max temperature by month", "avg"],
      ["wind vs max temp", "avg"],
      ["temperatura máxima média por ano", "avg"],
      ["highest max temperature by year", "max"],
    ] as const
  ) {
    const q = query(chat(weather, request));
    assert.equal(q.datasetId, weather.id, request);
    const measure = q.measures.find((m) => m.column === "temp_max") ??
      (q.x.column === "temp_max" ? { agg: "avg" } : undefined);
    assert.ok(measure, `${request}: temp_max is drawn`);
    assert.equal(measure.agg, agg, request);
  }
  // Two columns fit "temperature" equally: the person is asked which.
  const which = chat(weather, "temperature by month");
  assert.equal(which.kind, "clarify");
  assert.deepEqual(
    [...(which as Extract<Plan, { kind: "clarify" }>).options].sort(),
    ["temp_max", "temp_min"],
  );
});

Deno.test("planner shapes: counted days per year, days named by a value's adjective", async () => {
  const weather = await upload("seattle-weather.csv", WEATHER);
  const rainy = query(chat(weather, "how many rainy days per year"));
  assert.equal(rainy.x.kind === "time" && rainy.x.bucket, "year");
  assert.deepEqual(rainy.filters, [
    { column: "weather", op: "in", values: ["rain"] },
  ]);
  const sunny = query(chat(weather, "number of sunny days by month"));
  assert.equal(sunny.x.kind === "time" && sunny.x.bucket, "month");
  assert.deepEqual(sunny.filters, [
    { column: "weather", op: "in", values: ["sun"] },
  ]);
});

Deno.test("planner shapes: a number beside a column of a few values picks that group; 'A vs B' draws A up y; a new pair is a new chart", async () => {
  const students = await upload(
    "spector.csv",
    [
      "OBS,GPA,TUCE,PSI,GRADE",
      ...Array.from(
        { length: 32 },
        (_, i) =>
          [
            i + 1,
            (2 + (i % 20) / 10).toFixed(2),
            15 + (i % 12),
            i % 2,
            (i % 3) % 2,
          ]
            .join(","),
      ),
    ].join("\n"),
  );
  const filtered = query(chat(students, "average GPA by GRADE for PSI 1"));
  assert.deepEqual(filtered.filters, [
    { column: "PSI", op: "in", values: [1] },
  ]);
  assert.equal(filtered.x.column, "GRADE");
  const scatter = query(chat(students, "GPA vs TUCE"));
  assert.equal(scatter.chartType, "scatter");
  assert.equal(scatter.x.column, "TUCE");
  assert.deepEqual(scatter.measures.map((m) => m.column), ["GPA"]);
  // After a bar chart, a pair of measures is a new scatter, not a changed bar.
  const pair = chat(students, "average GPA by GRADE", "TUCE vs GPA");
  assert.equal(query(pair).chartType, "scatter");
  assert.equal((pair as Extract<Plan, { kind: "chart" }>).refines, undefined);
  // A histogram asked to be bars stays a histogram (it is bars already).
  const bars = query(
    chat(students, "distribution of GPA", "make it a bar chart"),
  );
  assert.equal(bars.chartType, "histogram");
});

Deno.test("planner shapes: a named bin width, a threshold with its unit, grouped thousands, a price averaged", async () => {
  const weather = await upload("seattle-weather.csv", WEATHER);
  for (
    const [request, width] of [
      ["histogram of max temperature in 5 degree bins", 5],
      ["distribution of temp_max in bins of 2", 2],
      ["histograma de temp_max con intervalos de 4", 4],
      ["histograma da temperatura máxima em faixas de 10 graus", 10],
    ] as const
  ) {
    const q = query(chat(weather, request));
    assert.equal(q.chartType, "histogram", request);
    assert.equal(q.x.kind === "bins" && q.x.width, width, request);
  }
  // A width asked of the histogram on screen.
  const rebinned = query(
    chat(weather, "distribution of temp_min", "use 3 degree bins"),
  );
  assert.equal(rebinned.x.kind === "bins" && rebinned.x.width, 3);
  assert.equal(rebinned.x.column, "temp_min");
  // "10-year bins" is a width, not a yearly axis.
  const ages = await upload(
    "victims.csv",
    ["name,age", ...Array.from({ length: 60 }, (_, i) => `p${i},${15 + i}`)]
      .join("\n"),
  );
  const decades = query(chat(ages, "age distribution in 10-year bins"));
  assert.equal(decades.x.kind === "bins" && decades.x.width, 10);

  // A unit and "of" between the threshold and the column it bounds.
  const wet = query(
    chat(
      weather,
      "number of days with more than 20 mm of precipitation per year",
    ),
  );
  assert.deepEqual(wet.filters, [
    { column: "precipitation", op: "gt", value: 20 },
  ]);
  assert.equal(wet.x.kind === "time" && wet.x.bucket, "year");

  // "100,000" is a hundred thousand; a price is averaged, not added up.
  const prices = await upload(
    "prices.csv",
    [
      "date,price,volume",
      ...Array.from(
        { length: 48 },
        (_, i) =>
          `${2000 + Math.floor(i / 12)}-${
            String(i % 12 + 1).padStart(2, "0")
          }-01,${1000 + i},${90_000 + i * 1000}`,
      ),
    ].join("\n"),
  );
  const busy = query(chat(prices, "months with volume over 100,000"));
  assert.deepEqual(busy.filters, [
    { column: "volume", op: "gt", value: 100_000 },
  ]);
  const yearly = query(chat(prices, "price over time", "now by year"));
  assert.deepEqual(yearly.measures.map((m) => m.agg), ["avg"]);
});

Deno.test("planner shapes: values and places named in Spanish or Portuguese, a counted noun that only names a date column, rows ranked by their label, a 'by' the table names nothing like", async () => {
  const weather = await upload(
    "weather.csv",
    [
      "location,date,precipitation,temp_min",
      ...Array.from({ length: 4 * 365 }, (_, i) => {
        const day = new Date(Date.UTC(2012, 0, 1 + (i >> 1))).toISOString()
          .slice(0, 10);
        return `${i % 2 ? "Seattle" : "New York"},${day},${i % 9},${i % 13}`;
      }),
    ].join("\n"),
  );
  const ny = query(chat(weather, "precipitación total por mes en Nueva York"));
  assert.deepEqual(ny.filters, [
    { column: "location", op: "in", values: ["New York"] },
  ]);
  // "each city" over a location column of cities: one series each.
  for (
    const request of [
      "total precipitation by year for each city",
      "temperatura mínima média por ano em cada cidade",
    ]
  ) {
    const q = query(chat(weather, request));
    assert.equal(q.x.kind === "time" && q.x.bucket, "year", request);
    assert.equal(q.split?.column, "location", request);
  }

  const disasters = await upload(
    "disasters.csv",
    [
      "Entity,Year,Deaths",
      ...["Flood", "Earthquake", "Drought"].flatMap((e, k) =>
        Array.from({ length: 30 }, (_, i) => `${e},${1990 + i},${k * 100 + i}`)
      ),
    ].join("\n"),
  );
  const floods = query(chat(disasters, "muertes por inundaciones desde 1990"));
  assert.deepEqual(floods.filters[0], {
    column: "Entity",
    op: "in",
    values: ["Flood"],
  });
  const quakes = query(
    chat(disasters, "mortes por terremoto ao longo do tempo"),
  );
  assert.deepEqual(quakes.filters[0], {
    column: "Entity",
    op: "in",
    values: ["Earthquake"],
  });
  // The table has no "type" column: its one text column holds the types.
  const byType = query(chat(disasters, "total deaths by disaster type"));
  assert.equal(byType.x.column, "Entity");
  assert.deepEqual(byType.measures.map((m) => [m.agg, m.column]), [
    ["sum", "Deaths"],
  ]);

  const victims = await upload(
    "riots.csv",
    [
      "name,age,gender,death_date,kind",
      ...Array.from(
        { length: 40 },
        (_, i) =>
          `p${i},${20 + i},${i % 3 ? "Male" : "Female"},1992-04-${
            29 + (i % 2)
          },${i % 4 ? "Homicide" : "Accident"}`,
      ),
    ].join("\n"),
  );
  // "muertes" names what death_date dates: rows counted, by gender.
  const deaths = query(chat(victims, "número de muertes por género"));
  assert.equal(deaths.x.column, "gender");
  assert.deepEqual(deaths.measures.map((m) => m.agg), ["count"]);

  const movies = await upload(
    "movies.csv",
    [
      "Title,Distributor,Worldwide Gross",
      ...Array.from(
        { length: 30 },
        (_, i) => `Film ${i},Studio ${i % 4},${(i + 1) * 1_000_000}`,
      ),
    ].join("\n"),
  );
  const top = query(chat(movies, "top 5 movies by worldwide gross"));
  assert.equal(top.x.column, "Title");
  assert.equal(top.limit, 5);
  assert.deepEqual(top.measures.map((m) => m.column), ["Worldwide Gross"]);
  const studios = query(chat(movies, "top 3 distributors by worldwide gross"));
  assert.equal(studios.x.column, "Distributor");
});

Deno.test("planner shapes: a name that holds a keyword across 'of', a value naming the kind its column holds, a threshold's measure shown, ratings offered that can be averaged", async () => {
  const strikes = await upload(
    "strikes.csv",
    [
      "Airport,Time of day,Kind,Cost,Web Rating,Critics Panel Rating,Label",
      ...Array.from(
        { length: 40 },
        (_, i) =>
          `Airport ${i % 5},${["Day", "Night", "Dusk"][i % 3]},${
            ["Death", "Injury"][i % 2]
          },${i * 10},${i % 7},${i % 9},${["G", "PG", "R"][i % 3]}`,
      ),
    ].join("\n"),
  );
  for (
    const request of [
      "número de colisões por período do dia",
      "number of strikes by time of day",
    ]
  ) {
    const q = query(chat(strikes, request));
    assert.equal(q.x.column, "Time of day", request);
    assert.equal(q.chartType, "bar", request);
  }
  // "by kind of death": Death is what Kind holds, not a filter.
  const kinds = query(chat(strikes, "average cost by kind of death"));
  assert.equal(kinds.x.column, "Kind");
  assert.deepEqual(kinds.filters, []);
  // Airports over a threshold: the cost it bounds, not a count of rows.
  const dear = query(chat(strikes, "airports with cost above 200"));
  assert.equal(dear.x.column, "Airport");
  assert.deepEqual(dear.measures.map((m) => m.column), ["Cost"]);
  assert.notEqual(dear.measures[0].agg, "count");
  // "average rating": the two numeric ratings, whatever their names' length.
  const which = chat(strikes, "average rating by airport");
  assert.equal(which.kind, "clarify");
  assert.deepEqual(
    [...(which as Extract<Plan, { kind: "clarify" }>).options].sort(),
    ["Critics Panel Rating", "Web Rating"],
  );
});

Deno.test("planner shapes: 'only the prestige ones' keeps the rows a 0/1 column marks; 'size of the staff' is the staff", async () => {
  const committees = await upload(
    "committees.csv",
    [
      "COMMITTEE,SIZE,STAFF,PRESTIGE",
      ...Array.from(
        { length: 12 },
        (_, i) => `C${i},${30 + i},${10 + 3 * i},${i % 3 === 0 ? 1 : 0}`,
      ),
    ].join("\n"),
  );
  for (
    const request of [
      "tamanho da equipe por comissão, só as comissões de prestígio",
      "staff size by committee, only the prestige committees",
    ]
  ) {
    const q = query(chat(committees, request));
    assert.equal(q.x.column, "COMMITTEE", request);
    assert.deepEqual(q.measures.map((m) => m.column), ["STAFF"], request);
    assert.deepEqual(q.filters, [
      { column: "PRESTIGE", op: "in", values: [1] },
    ], request);
  }
});

Deno.test("planner shapes: population adds up and is its people column; a coded sex is a group, not a number to average", async () => {
  const census = await upload(
    "population.csv",
    [
      "year,age,sex,people",
      ...[1990, 2000].flatMap((year) =>
        [0, 5, 10].flatMap((age) =>
          [1, 2].map((sex) => `${year},${age},${sex},${1000 + age * 10 + sex}`)
        )
      ),
    ].join("\n"),
  );
  const byAge = query(chat(census, "population by age in 2000"));
  assert.equal(byAge.x.column, "age");
  assert.deepEqual(byAge.measures.map((m) => [m.agg, m.column]), [
    ["sum", "people"],
  ]);
  const bySex = query(chat(census, "população por sexo ao longo do tempo"));
  assert.equal(bySex.x.kind === "time" && bySex.x.bucket, "year");
  assert.equal(bySex.split?.column, "sex");
  assert.deepEqual(bySex.measures.map((m) => [m.agg, m.column]), [
    ["sum", "people"],
  ]);
});

Deno.test("planner shapes: 'color by' splits a scatter; a count or average over a group after a scatter is a new chart", async () => {
  const birds = await upload(
    "birds.csv",
    [
      "species,island,wing_mm,mass_g,sex",
      ...Array.from({ length: 40 }, (_, i) =>
        [
          ["Adelie", "Gentoo", "Chinstrap"][i % 3],
          ["Biscoe", "Dream", "Torgersen"][i % 3 === 0 ? 0 : i % 2 + 1],
          180 + (i * 7) % 40,
          3000 + (i * 131) % 2000,
          i % 2 ? "MALE" : "FEMALE",
        ].join(",")),
    ].join("\n"),
  );
  for (
    const [request, column] of [
      ["color by sex", "sex"],
      ["colour it by species", "species"],
      ["colorear por isla", "island"],
      ["cor por espécie", "species"],
    ] as const
  ) {
    const q = query(chat(birds, "wing_mm vs mass_g", request));
    assert.equal(q.chartType, "scatter", request);
    assert.equal(q.split?.column, column, request);
  }
  for (
    const [request, agg, x] of [
      ["how many birds on each island", "count", "island"],
      ["average mass_g by species", "avg", "species"],
    ] as const
  ) {
    const q = query(chat(birds, "wing_mm vs mass_g", request));
    assert.notEqual(q.chartType, "scatter", request);
    assert.equal(q.x.column, x, request);
    assert.equal(q.measures[0].agg, agg, request);
  }
});

Deno.test("planner shapes: 'quantos … por ano' after a scatter is a Portuguese count per year", async () => {
  const cars = await upload(
    "cars.csv",
    [
      "name,year,hp,weight",
      ...Array.from(
        { length: 30 },
        (_, i) =>
          `car ${i},${1970 + (i % 6)}-01-01,${60 + i * 3},${2000 + i * 50}`,
      ),
    ].join("\n"),
  );
  const plan = chat(cars, "potência versus peso", "quantos carros por ano");
  const q = query(plan);
  assert.equal(q.lang, "pt");
  assert.equal(q.x.kind === "time" && q.x.bucket, "year");
  assert.deepEqual(q.measures.map((m) => m.agg), ["count"]);
});

Deno.test("planner shapes: a line or area by a few groups runs over time; 'highest price per symbol' is each one's maximum; a measure by the split alone is the groups' chart", async () => {
  const prices = await upload(
    "prices.csv",
    [
      "symbol,date,price,volume",
      ...Array.from({ length: 72 }, (_, i) =>
        [
          ["AAA", "BBB", "CCC"][i % 3],
          `${2001 + Math.floor(i / 24)}-${
            String(Math.floor(i / 3) % 8 + 1).padStart(2, "0")
          }-01`,
          (20 + (i * 17) % 50).toFixed(2),
          1000 + i,
        ].join(",")),
    ].join("\n"),
  );
  for (
    const turns of [
      ["line chart of price by symbol"],
      ["area chart of total volume per symbol"],
      ["average price by symbol", "as a line chart"],
    ]
  ) {
    const q = query(chat(prices, ...turns));
    assert.equal(q.x.kind, "time", turns.join(" → "));
    assert.equal(q.x.column, "date", turns.join(" → "));
    assert.equal(q.split?.column, "symbol", turns.join(" → "));
  }
  // Without dates there is no time to run over.
  const birds = await upload(
    "birds.csv",
    "species,mass\nA,1\nB,2\nC,3\nA,4\n",
  );
  assert.equal(
    query(chat(birds, "line chart of mass by species")).x.kind,
    "category",
  );

  for (
    const turns of [
      ["highest price per symbol"],
      ["average price by symbol", "highest price per symbol"],
    ]
  ) {
    const q = query(chat(prices, ...turns));
    assert.equal(q.x.column, "symbol", turns.join(" → "));
    assert.deepEqual(q.measures.map((m) => m.agg), ["max"], turns.join(" → "));
  }
  // A total ranks the groups; "which … has the highest" compares averages.
  assert.equal(
    query(chat(prices, "highest volume by symbol")).measures[0].agg,
    "sum",
  );
  assert.equal(
    query(chat(prices, "which symbol has the highest price")).measures[0].agg,
    "avg",
  );

  const bars = query(
    chat(prices, "price of each symbol over time", "average price by symbol"),
  );
  assert.equal(bars.x.kind, "category");
  assert.equal(bars.x.column, "symbol");
  assert.equal(bars.split, null);
});

Deno.test("planner shapes: 'what percentage … at night' is the share of every time of day; a share of one named phase is not a one-slice pie", async () => {
  const strikes = await upload(
    "strikes.csv",
    [
      "Flight Date,Time of day,Phase of flight,Cost",
      ...Array.from({ length: 48 }, (_, i) =>
        [
          `2001-${String(i % 12 + 1).padStart(2, "0")}-0${i % 9 + 1}`,
          ["Day", "Night", "Dawn", "Dusk"][i % 4],
          ["Climb", "Approach", "Landing Roll"][i % 3],
          100 + i,
        ].join(",")),
    ].join("\n"),
  );
  for (
    const [request, column] of [
      ["what percentage of strikes happen at night", "Time of day"],
      ["share of strikes in the climb phase", "Phase of flight"],
    ] as const
  ) {
    const q = query(chat(strikes, request));
    assert.equal(q.chartType, "pie", request);
    assert.equal(q.x.column, column, request);
    assert.deepEqual(q.filters, [], request);
  }
});

Deno.test("planner shapes: 'number of deaths' where death_date dates each row counts the rows, not the value Death of another column", async () => {
  const deaths = await upload(
    "deaths.csv",
    [
      "name,race,death_date,type",
      ...Array.from({ length: 40 }, (_, i) =>
        [
          `p${i}`,
          ["Black", "Latino", "White", "Asian"][i % 4],
          `1992-04-${String(29 + (i % 2)).padStart(2, "0")}`,
          ["Homicide", "Death", "Not riot-related", "Homicide"][i % 4],
        ].join(",")),
    ].join("\n"),
  );
  for (
    const request of [
      "number of deaths by race",
      "número de muertes por raza",
      "número de mortes por raça",
    ]
  ) {
    const q = query(chat(deaths, request));
    assert.equal(q.x.column, "race", request);
    assert.deepEqual(q.filters, [], request);
  }
  // A value that names no date column is still a filter.
  assert.deepEqual(
    query(chat(deaths, "number of homicides by race")).filters,
    [{ column: "type", op: "in", values: ["Homicide"] }],
  );
});

Deno.test("planner shapes: 'per year' on one year's months shows the years; a cycle the dates cannot tell is not drawn", async () => {
  const prices = await upload(
    "index.csv",
    [
      "date,price",
      ...Array.from(
        { length: 60 },
        (_, i) =>
          `${2006 + Math.floor(i / 12)}-${
            String(i % 12 + 1).padStart(2, "0")
          }-01,${1000 + i * 3}`,
      ),
    ].join("\n"),
  );
  const yearly = query(
    chat(prices, "price in 2008 by month", "average price per year"),
  );
  assert.equal(yearly.x.kind === "time" && yearly.x.bucket, "year");
  assert.deepEqual(yearly.filters, []);
  // A year named again keeps it.
  const kept = query(
    chat(prices, "price in 2008 by month", "by year for 2008 and 2009"),
  );
  assert.ok(kept.filters.length > 0);
  // Monthly dates have no hour of the day.
  const hourly = query(chat(prices, "price by month", "by hour of the day"));
  assert.notEqual(hourly.x.kind === "time" && hourly.x.bucket, "hour_of_day");
});

Deno.test("planner shapes: 'number of cars by origin' after a chart over years is the count by origin", async () => {
  const cars = await upload(
    "cars.csv",
    [
      "name,year,origin,mpg",
      ...Array.from(
        { length: 36 },
        (_, i) =>
          `car ${i},${1970 + (i % 6)}-01-01,${
            ["USA", "Europe", "Japan"][i % 3]
          },${15 + (i % 20)}`,
      ),
    ].join("\n"),
  );
  const q = query(
    chat(cars, "average mpg by year", "number of cars by origin"),
  );
  assert.equal(q.x.column, "origin");
  assert.deepEqual(q.measures.map((m) => m.agg), ["count"]);
  assert.equal(q.split, null);
});

Deno.test("planner shapes: a new measure at another grain of the time axis is a new chart, without the old chart's filters", async () => {
  const weather = await upload(
    "weather.csv",
    [
      "date,weather,temp_max",
      ...Array.from({ length: 90 }, (_, i) => {
        const d = new Date(Date.UTC(2015, 0, 1 + i));
        return `${d.toISOString().slice(0, 10)},${
          ["rain", "sun", "fog"][i % 3]
        },${5 + (i % 17)}`;
      }),
    ].join("\n"),
  );
  const q = query(
    chat(
      weather,
      "dias de chuva por mês",
      "temperatura máxima média por dia da semana",
    ),
  );
  assert.equal(q.x.kind === "time" && q.x.bucket, "weekday");
  assert.deepEqual(q.measures.map((m) => [m.agg, m.column]), [[
    "avg",
    "temp_max",
  ]]);
  assert.deepEqual(q.filters, []);
  assert.equal(q.lang, "pt");
  // The same measure by the days of the week: bars, as a new chart would be.
  const weekdays = query(
    chat(weather, "average temp_max by month", "by day of the week"),
  );
  assert.equal(weekdays.x.kind === "time" && weekdays.x.bucket, "weekday");
  assert.equal(weekdays.chartType, "bar");
});

Deno.test("planner shapes: a count of rows is titled with the noun the request counts", async () => {
  const airports = await upload(
    "airports.csv",
    [
      "iata,name,state",
      ...Array.from(
        { length: 30 },
        (_, i) => `A${i},Field ${i},${["TX", "CA", "NY"][i % 3]}`,
      ),
    ].join("\n"),
  );
  for (
    const [request, title] of [
      ["number of airports per state", "Number of airports by state"],
      [
        "cuántos aeropuertos hay en cada state",
        "Número de aeropuertos por state",
      ],
      ["count by state", "Number of rows by state"],
    ] as const
  ) {
    const plan = chat(airports, request);
    assert.equal(plan.kind, "chart", request);
    if (plan.kind !== "chart") continue;
    assert.equal(plan.spec.title, title, request);
  }
});

Deno.test("planner shapes: weather named in Spanish or Portuguese finds its English value", async () => {
  const weather = await upload(
    "seattle.csv",
    [
      "date,weather,temp_max",
      ...Array.from({ length: 60 }, (_, i) => {
        const d = new Date(Date.UTC(2015, 0, 1 + i * 3));
        return `${d.toISOString().slice(0, 10)},${
          ["rain", "sun", "fog", "drizzle", "snow"][i % 5]
        },${5 + (i % 17)}`;
      }),
    ].join("\n"),
  );
  for (
    const [request, value] of [
      ["días de sol por año", "sun"],
      ["días de niebla por mes", "fog"],
      ["quantos dias de garoa por ano", "drizzle"],
      ["dias ensolarados por mês", "sun"],
    ] as const
  ) {
    assert.deepEqual(
      query(chat(weather, request)).filters,
      [{ column: "weather", op: "in", values: [value] }],
      request,
    );
  }
});

Deno.test("planner shapes: a word a name writes in capitals is an abbreviation ('US Gross'), so 'gross' names two columns", async () => {
  const films = await upload(
    "films.csv",
    [
      "Title,US Gross,Worldwide Gross,Major Genre",
      ...Array.from(
        { length: 20 },
        (_, i) =>
          `Film ${i},${100 + i},${300 + i * 2},${["Drama", "Comedy"][i % 2]}`,
      ),
    ].join("\n"),
  );
  const asked = chat(films, "average gross by genre");
  assert.equal(asked.kind, "clarify");
  if (asked.kind === "clarify") {
    assert.deepEqual([...asked.options].sort(), [
      "US Gross",
      "Worldwide Gross",
    ]);
  }
  assert.deepEqual(
    query(chat(films, "us gross by genre")).measures.map((m) => m.column),
    ["US Gross"],
  );
});
