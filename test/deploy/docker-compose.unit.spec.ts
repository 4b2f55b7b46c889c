import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config/load-config';

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: unknown };
  depends_on?: Record<string, { condition: string }>;
}

const compose = parse(readFileSync(join(__dirname, '../../docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, ComposeService> };
const services = compose.services;
const antaeus = Object.entries(services).filter(([, service]) => service.build !== undefined);

/** Compose's `${NAME:-default}` substitution, with nothing set in the environment. */
function substitute(value: string): string {
  return value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
}

function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [
      name,
      substitute(String(value)),
    ]),
  );
}

describe('docker-compose.yml', () => {
  it('brings up EventStoreDB, PostgreSQL and two Antaeus instances, each with a health check', () => {
    expect(services.eventstoredb.image).toMatch(/^eventstore\/eventstore:/);
    expect(services.postgres.image).toMatch(/^postgres:/);
    expect(antaeus.map(([name]) => name)).toEqual(['antaeus-1', 'antaeus-2']);
    for (const [name, service] of Object.entries(services)) {
      expect({ name, healthcheck: Boolean(service.healthcheck?.test) }).toEqual({
        name,
        healthcheck: true,
      });
    }
  });

  it.each(antaeus)('%s sets only variables the service reads, and they load', (_name, service) => {
    const environment = environmentOf(service);
    expect(Object.keys(environment).filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
    const config = loadConfig(environment);
    expect(config.eventStore.kind).toBe('eventstoredb');
    expect(config.database.kind).toBe('postgres');
  });

  it.each(antaeus)('%s points at the compose services with their credentials', (_name, service) => {
    const environment = environmentOf(service);
    const esdb = new URL(environment.ESDB_CONNECTION_STRING);
    expect(esdb.protocol).toBe('esdb:');
    expect(esdb.hostname).toBe('eventstoredb');
    expect(esdb.port).toBe(services.eventstoredb.environment?.EVENTSTORE_HTTP_PORT);
    expect(esdb.searchParams.get('tls')).toBe('false');

    const database = new URL(environment.DATABASE_URL);
    const postgres = services.postgres.environment ?? {};
    expect(database.hostname).toBe('postgres');
    expect(database.port).toBe('5432');
    expect(database.username).toBe(postgres.POSTGRES_USER);
    expect(database.password).toBe(postgres.POSTGRES_PASSWORD);
    expect(database.pathname).toBe(`/${postgres.POSTGRES_DB}`);

    expect(service.depends_on).toEqual({
      eventstoredb: { condition: 'service_healthy' },
      postgres: { condition: 'service_healthy' },
    });
  });

  it.each(antaeus)('%s publishes the port it listens on', (_name, service) => {
    const environment = environmentOf(service);
    const containerPorts = (service.ports ?? []).map((mapping) => mapping.split(':').at(-1));
    expect(containerPorts).toEqual([String(loadConfig(environment).port)]);
    expect(JSON.stringify(service.healthcheck?.test)).toContain(`:${environment.PORT}/rest/health`);
  });

  it('gives every instance its own id and host port', () => {
    const ids = antaeus.map(([, service]) => environmentOf(service).ANTAEUS_INSTANCE_ID);
    const hostPorts = Object.values(services).flatMap((service) =>
      (service.ports ?? []).map((mapping) => mapping.split(':')[0]),
    );
    expect(new Set(ids).size).toBe(antaeus.length);
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
  });
});
