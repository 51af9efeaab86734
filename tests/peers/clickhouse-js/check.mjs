// The official @clickhouse/client against a ClickHouse HTTP endpoint: ping, DDL, an insert, a select, a compressed
// round trip, and an error. Prints one JSON object per step for the test to compare.
import { createClient } from '@clickhouse/client'

const [url, username, password, table] = process.argv.slice(2)
const out = (step, value) => console.log(JSON.stringify({ step, value }))

for (const compression of [false, true]) {
  const client = createClient({ url, username, password, compression: { request: compression, response: compression } })
  try {
    out('ping', (await client.ping()).success)
    const name = `${table}_${compression ? 'gz' : 'plain'}`
    await client.command({ query: `CREATE TABLE ${name} (id UInt32, name String, px Float64) ENGINE = MergeTree ORDER BY id` })
    await client.insert({ table: name, values: [{ id: 1, name: 'ibm', px: 185.5 }, { id: 2, name: 'aig', px: 49.25 }], format: 'JSONEachRow' })
    const rs = await client.query({ query: `SELECT id, name, px FROM ${name} WHERE id >= {min:UInt32} ORDER BY id`, query_params: { min: 1 }, format: 'JSONEachRow' })
    out('rows', await rs.json())
    out('query_id', typeof rs.query_id === 'string' && rs.query_id.length > 0)
    try {
      await client.query({ query: 'SELECT * FROM no_such_table', format: 'JSONEachRow' })
      out('error', null)
    } catch (e) {
      out('error', { code: e.code, type: e.type })
    }
  } finally {
    await client.close()
  }
}
