// The output channel: where dry-run, audit and apply results are written, masked, one line per ref or finding.
import * as vscode from 'vscode';
import type { ResolveResult, ResolvedRefResult } from '../../server/src/protocol';

export const OUTPUT_CHANNEL_NAME = 'OpenClaw Secrets';

export function renderResolveResult(result: ResolveResult, configLabel: string, execNote: string): string[] {
  const lines = [`Dry-run of ${configLabel} at ${new Date().toISOString()}`, `  ${execNote}`];
  if (result.results.length === 0) lines.push('  no SecretRefs in this config');
  const pathWidth = Math.min(60, Math.max(4, ...result.results.map((r) => r.path.length)));
  const refWidth = Math.min(60, Math.max(3, ...result.results.map((r) => r.refKey.length)));
  for (const ref of result.results) lines.push('  ' + renderRefLine(ref, pathWidth, refWidth));
  lines.push(`  ${summarizeResolve(result)}`);
  return lines;
}

function renderRefLine(ref: ResolvedRefResult, pathWidth: number, refWidth: number): string {
  const status = ref.skipped ? 'SKIP' : ref.ok ? 'OK  ' : 'FAIL';
  const head = `${status}  ${ref.path.padEnd(pathWidth)}  ${ref.refKey.padEnd(refWidth)}  ${String(Math.round(ref.elapsedMs)).padStart(5)} ms`;
  if (ref.ok) {
    const masked = [ref.fingerprint, ref.lengthClass ? `${ref.lengthClass} length` : undefined]
      .filter(Boolean)
      .join(', ');
    return masked ? `${head}  ${masked}` : head;
  }
  const limit = ref.limit ? ` (limit ${ref.limit})` : '';
  return `${head}  ${ref.code ?? 'ERROR'}: ${ref.message ?? 'not resolved'}${limit}`;
}

export function summarizeResolve(result: ResolveResult): string {
  const parts = [`${result.okCount} ok`, `${result.errorCount} failed`];
  if (result.skippedExecCount > 0) parts.push(`${result.skippedExecCount} exec skipped`);
  return `${result.results.length} ref(s): ${parts.join(', ')}`;
}

/** Audit results in OpenClaw's JSON shape ({status, summary, findings}); anything else is shown as JSON. */
export function renderAuditResult(result: unknown, configLabel: string): { lines: string[]; summary: string } {
  const lines = [`Audit of ${configLabel} at ${new Date().toISOString()}`];
  const audit = result as {
    status?: string;
    summary?: Record<string, number>;
    findings?: { code?: string; severity?: string; file?: string; jsonPath?: string; message?: string }[];
  };
  if (!audit || typeof audit !== 'object' || !Array.isArray(audit.findings)) {
    lines.push('  ' + JSON.stringify(result));
    return { lines, summary: 'audit finished' };
  }
  const counts = Object.entries(audit.summary ?? {}).map(([key, value]) => `${key.replace(/Count$/, '')}=${value}`);
  const summary = `status ${audit.status ?? 'unknown'}${counts.length ? ` (${counts.join(', ')})` : ''}`;
  lines.push(`  ${summary}`);
  for (const finding of audit.findings) {
    lines.push(
      `  [${finding.code}] ${finding.severity ?? ''} ${finding.file ?? ''}:${finding.jsonPath ?? ''} ${finding.message ?? ''}`,
    );
  }
  return { lines, summary };
}

export function writeBlock(channel: vscode.OutputChannel, lines: readonly string[]): void {
  for (const line of lines) channel.appendLine(line);
  channel.appendLine('');
}
