import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI_PATH = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const TOKEN = 'cli-secret-token';

function runCli(args: string[]) {
  const child = spawn(process.execPath, [CLI_PATH, ...args], { stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { child, output: () => ({ stdout, stderr }) };
}

async function waitForLine(run: ReturnType<typeof runCli>): Promise<string> {
  while (!run.output().stdout.includes('\n')) {
    if (run.child.exitCode !== null) {
      throw new Error(`cfkv-local exited early: ${run.output().stderr}`);
    }
    await once(run.child.stdout, 'data');
  }
  return run.output().stdout;
}

describe('rest-local: cli', () => {
  it('cli: prints base URL, not token', async () => {
    const run = runCli(['--token', TOKEN, '--port', '0', '--in-memory']);
    try {
      const output = await waitForLine(run);
      const baseUrl = /(http:\/\/127\.0\.0\.1:\d+\/client\/v4)/.exec(output)?.[1];
      const response = await fetch(`${baseUrl}/accounts/local-account/storage/kv/namespaces`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });

      expect(output.trim().split('\n')).toHaveLength(1);
      expect(output).not.toContain(TOKEN);
      expect(baseUrl).toBeDefined();
      expect(response.status).toBe(200);
    } finally {
      run.child.kill('SIGTERM');
      await once(run.child, 'exit');
    }
  });

  it('cli: rejects a non-loopback host', async () => {
    const run = runCli(['--token', TOKEN, '--host', '0.0.0.0', '--in-memory']);
    const [exitCode] = await once(run.child, 'exit');

    expect(exitCode).toBe(1);
    expect(run.output().stderr).toContain('loopback');
    expect(run.output().stdout).toBe('');
  });

  it('cli: fails without a token', async () => {
    const run = runCli(['--in-memory']);
    const [exitCode] = await once(run.child, 'exit');

    expect(exitCode).toBe(1);
    expect(run.output().stderr).toContain('--token');
  });

  it('cli: --help prints the usage', async () => {
    const run = runCli(['--help']);
    const [exitCode] = await once(run.child, 'exit');

    expect(exitCode).toBe(0);
    expect(run.output().stdout).toContain('Usage: cfkv-local');
  });
  it('cli: -h prints the usage', async () => {
    const run = runCli(['-h']);
    const [exitCode] = await once(run.child, 'exit');

    expect(exitCode).toBe(0);
    expect(run.output().stdout).toContain('Usage: cfkv-local');
  });

  it('cli: --version prints the package version', async () => {
    const packageUrl = new URL('../package.json', import.meta.url);
    const { version } = JSON.parse(await readFile(packageUrl, 'utf8')) as { version: string };
    const run = runCli(['--version']);
    const [exitCode] = await once(run.child, 'exit');

    expect(exitCode).toBe(0);
    expect(run.output().stdout).toBe(`${version}\n`);
  });

  it.each([
    [['--port', ''], 'Invalid --port ""'],
    [['--port', '70000'], 'Invalid --port "70000"'],
    [['--in-memory', '--persist', 'data'], '--in-memory and --persist conflict'],
    [['--persist', ''], 'Invalid --persist ""'],
    [['--account-id', ''], 'Invalid account id ""'],
    [['--account-id', '../x'], 'Invalid account id "../x"'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('cli: rejects %j', async (args, expected) => {
    const run = runCli(['--token', TOKEN, ...args]);
    const [exitCode] = await once(run.child, 'exit');

    expect(exitCode).toBe(1);
    expect(run.output().stderr).toContain(expected);
    expect(run.output().stdout).toBe('');
  });

  it('cli: reports every argument error at once', async () => {
    const run = runCli(['--port', 'abc', '--account-id', '../x']);
    const [exitCode] = await once(run.child, 'exit');
    const lines = run.output().stderr.trim().split('\n');

    expect(exitCode).toBe(1);
    expect(lines[0]).toContain('Invalid --port "abc"');
    expect(lines[1]).toContain('Invalid account id');
    expect(lines[2]).toContain('Missing --token');
  });

  it('cli: reports bad host with other errors', async () => {
    const args = ['--token', TOKEN, '--port', 'abc', '--host', '0.0.0.0', '--account-id', 'bad/id'];
    const run = runCli(args);
    const [exitCode] = await once(run.child, 'exit');
    const lines = run.output().stderr.trim().split('\n');

    expect(exitCode).toBe(1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('Invalid --port "abc"');
    expect(lines[1]).toContain('Invalid --host "0.0.0.0"');
    expect(lines[2]).toContain('Invalid account id "bad/id"');
  });

  it('cli: accepts a 32-hex account id', async () => {
    const accountId = '0123456789abcdef0123456789abcdef';
    const run = runCli(['--token', TOKEN, '--port', '0', '--in-memory', '--account-id', accountId]);
    try {
      expect(await waitForLine(run)).toContain(`account ${accountId}`);
    } finally {
      run.child.kill('SIGTERM');
      await once(run.child, 'exit');
    }
  });

  it('cli: fails at start on a persist folder it cannot create', async () => {
    const run = runCli(['--token', TOKEN, '--port', '0', '--persist', '/proc/cfkv-forbidden']);
    const [exitCode] = await once(run.child, 'exit');

    expect(exitCode).toBe(1);
    expect(run.output().stderr).toContain('/proc/cfkv-forbidden is not writable');
    expect(run.output().stdout).toBe('');
  });
});
