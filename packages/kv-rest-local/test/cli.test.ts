import { spawn } from 'node:child_process';
import { once } from 'node:events';
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
});
