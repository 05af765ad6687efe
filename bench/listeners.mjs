/**
 * Loopback TCP peers for the bench, run as a separate process so their accept() work is not
 * charged to NetWatch's event loop. Listens on 127.0.0.2 … 127.0.0.(1+ADDRS), PORTS ports each
 * (kernel-chosen), accepts and closes at once. Prints one JSON line: [{host, port}, …].
 * Loopback only: every address is in 127.0.0.0/8.
 */
import net from 'node:net';

const addrs = Number(process.argv[2] ?? 10);
const ports = Number(process.argv[3] ?? 20);
const out = [];
const servers = [];
let accepted = 0;
for (let a = 0; a < addrs; a++) {
  const host = `127.0.0.${2 + a}`;
  for (let p = 0; p < ports; p++) {
    const server = net.createServer({ noDelay: true }, (s) => {
      accepted++;
      s.on('error', () => undefined);
      s.destroy();
    });
    server.on('error', (err) => {
      console.error(`listener ${host}: ${err.message}`);
      process.exit(1);
    });
    await new Promise((r) => server.listen({ host, port: 0, backlog: 4096 }, r));
    servers.push(server);
    out.push({ host, port: server.address().port });
  }
}
process.stdout.write(JSON.stringify(out) + '\n');
// parent asks for the accept count with a line "count" on stdin; EOF ends the process
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => {
  if (d.includes('count')) process.stdout.write(JSON.stringify({ accepted, cpu: process.cpuUsage() }) + '\n');
});
process.stdin.on('end', () => process.exit(0));
