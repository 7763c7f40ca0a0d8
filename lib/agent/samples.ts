/** Sample prompts shown to a new user; each works on the built-in demo data. */
export const SAMPLE_PROMPTS = [
  "line chart of pm25 by date for Kampala",
  "bar chart of average no2 per city",
  "monthly average roe by bank",
  "pie chart of total revenue by region",
  "top 5 products by units sold",
] as const;
