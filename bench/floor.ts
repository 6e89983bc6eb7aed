// The floor: read the outbound view past the watermark with the same driver and nothing else.
// Usage: tsx bench/floor.ts <activations.yml>   → prints {"rows": N}
import { loadConfig } from '../runner/config/load.ts';
import { openWarehouse } from '../runner/warehouse/index.ts';
import { outboundRead } from './data.ts';

const config = await loadConfig(process.argv[2]);
const wh = await openWarehouse(config);
const sql = outboundRead(config);
let rows = 0;
for await (const chunk of wh.stream(sql, [], { fetchSize: 2000 })) rows += chunk.length;
await wh.close();
process.stdout.write(`${JSON.stringify({ rows })}\n`);
