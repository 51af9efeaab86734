// The official @clickhouse/client in a loop for `flow bench up`: queries until the deadline, then one JSON line of
// calls, failures and latencies (ms).
import { createClient } from '@clickhouse/client'

const [url, username, password, seconds] = process.argv.slice(2)
const client = createClient({ url, username, password, compression: { response: true } })
const deadline = Date.now() + Number(seconds) * 1000
const latencies = []
let failures = 0
let lastError = null
while (Date.now() < deadline) {
  const started = performance.now()
  try {
    const rs = await client.query({ query: "SELECT count() AS n, max(price) AS high FROM trades WHERE symbol = {s:String}", query_params: { s: 'SYN0001' }, format: 'JSONEachRow' })
    await rs.json()
    latencies.push(performance.now() - started)
  } catch (e) {
    failures++
    lastError = String(e)
  }
}
await client.close()
console.log(JSON.stringify({ calls: latencies.length + failures, failures, latencies, lastError }))
