import { loadConfig, type AppConfig } from '@charity/config';
import { batchedDataSourceOptions, dataSourceOptions, ensureDatabase } from '@charity/database';
import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';

// DATABASE_URL's `?socket=`: a database on the same machine, reached through its Unix socket.
// Debian's MariaDB (and so this project's machines and CI) listens on this one.
const SOCKET = '/run/mysqld/mysqld.sock';
const describeWithSocket = existsSync(SOCKET) ? describe : describe.skip;

/** How the server sees this connection: `localhost` through the socket, `host:port` over TCP. */
async function clientHost(dataSource: DataSource): Promise<string> {
  const [row] = await dataSource.query<{ host: string }[]>(
    'SELECT HOST AS host FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()',
  );
  return row.host;
}

describeWithSocket('DATABASE_URL with ?socket=', () => {
  const opened: DataSource[] = [];
  const open = async (options: ReturnType<typeof dataSourceOptions>) => {
    const dataSource = await new DataSource(options).initialize();
    opened.push(dataSource);
    return dataSource;
  };

  afterAll(async () => {
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
  });

  it('connects both pools and the start-up check through the socket, and TCP without it', async () => {
    const tcp: AppConfig = loadConfig(process.env);
    const socket: AppConfig = loadConfig({
      ...process.env,
      DATABASE_URL: `${process.env.DATABASE_URL}?socket=${SOCKET}`,
    });
    expect(socket.database).toMatchObject({ database: tcp.database.database, socketPath: SOCKET });

    await expect(ensureDatabase(socket)).resolves.toMatch(/^(mariadb|mysql)$/);
    expect(await clientHost(await open(dataSourceOptions(socket, 'mysql')))).toBe('localhost');
    expect(await clientHost(await open(batchedDataSourceOptions(socket)))).toBe('localhost');
    expect(await clientHost(await open(dataSourceOptions(tcp, 'mysql')))).toMatch(/:\d+$/);
  });
});
