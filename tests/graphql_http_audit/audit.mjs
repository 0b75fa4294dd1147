// The GraphQL-over-HTTP spec audit of graphql-http (its serverAudits) against one URL.
// Usage: node audit.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON object: {"ok": n, "warn": n, "error": n, "results": [{id, name, status, reason}]}.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  results.push({
    id: audit.id,
    name: audit.name,
    status: result.status,
    reason: result.status === 'ok' ? null : result.reason,
  });
}
const count = (status) => results.filter((r) => r.status === status).length;
console.log(JSON.stringify({ ok: count('ok'), warn: count('warn'), error: count('error'), results }));
