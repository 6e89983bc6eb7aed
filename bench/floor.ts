// The floor: read every row of the outbound view with the same driver as capi-sync, and nothing else.
// Usage: tsx bench/floor.ts <activations.yml>   → prints {"rows": N}
import { loadConfig } from '../runner/config/load.ts';
import { openWarehouse } from '../runner/warehouse/index.ts';
import { OUTBOUND_READ } from './data.ts';

const wh = await openWarehouse(await loadConfig(process.argv[2]));
let rows = 0;
for await (const chunk of wh.stream(OUTBOUND_READ, [], { fetchSize: 2000 })) rows += chunk.length;
await wh.close();
process.stdout.write(`${JSON.stringify({ rows })}\n`);
