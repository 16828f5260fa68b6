import { createReadStream } from 'node:fs';
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { ContractInferrer, type Draft, InferError } from './infer-contract.js';
import { readNdjson } from './read-ndjson.js';

export interface InferArgs {
  /** NDJSON file of sample events; `-` reads stdin. */
  file: string;
  /** Directory to write `<out>/<event_type>/<version>.yaml` into; stdout when absent. */
  out?: string;
  /** Contract name for events without an event type. */
  name?: string;
  version?: string;
}

export interface InferIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
}

const CMD = 'earshot contracts infer';

function header(d: Draft, source: string): string {
  return [
    `# DRAFT contract inferred by \`${CMD}\` from ${d.events} sample events (${source}).`,
    '# Review types, enums, formats, personal-data hints and completeness minimums,',
    '# add purposes and an owner, then set status: active.',
    '',
  ].join('\n');
}

function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : (code ?? (err as Error).message);
}

/**
 * `earshot contracts infer FILE|-`: drafts one contract per event type from
 * sample NDJSON traffic and prints it as YAML, or writes it under `out`.
 * Exit 0 on success, 2 when the input is missing or holds no usable event,
 * or a draft would overwrite an existing file.
 */
export async function runInfer(argv: InferArgs, io: InferIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`${CMD}: ${message}\n`);
    return 2;
  };
  const source = argv.file === '-' ? 'stdin' : argv.file;

  let input: NodeJS.ReadableStream;
  if (argv.file === '-') input = io.stdin ?? process.stdin;
  else {
    try {
      if (!(await stat(argv.file)).isFile()) return fail(`cannot read ${argv.file}: not a file`);
    } catch (err) {
      return fail(`cannot read ${argv.file}: ${errorCode(err)}`);
    }
    input = createReadStream(argv.file, { encoding: 'utf8' });
  }

  const inferrer = new ContractInferrer({ name: argv.name, version: argv.version });
  let tally: Awaited<ReturnType<typeof readNdjson>>;
  try {
    tally = await readNdjson(input, (event) => inferrer.observe(event));
  } catch (err) {
    return fail(`cannot read ${source}: ${errorCode(err)}`);
  }
  if (tally.malformed > 0) {
    io.stderr.write(
      `${CMD}: skipped ${tally.malformed} malformed line${tally.malformed === 1 ? '' : 's'} ` +
        `(not a JSON object; first at line ${tally.firstMalformedLine})\n`,
    );
  }
  if (tally.objects === 0) return fail(`no usable events in ${source}`);

  let drafts: Draft[];
  try {
    const result = inferrer.result();
    drafts = result.drafts;
    for (const w of result.warnings) io.stderr.write(`${CMD}: ${w}\n`);
  } catch (err) {
    if (err instanceof InferError) return fail(err.message);
    throw err;
  }

  const texts = drafts.map((d) => header(d, source) + stringify(d.contract, { lineWidth: 0 }));
  if (argv.out === undefined) {
    io.stdout.write(texts.join('---\n'));
    return 0;
  }

  const outDir = argv.out;
  const paths = drafts.map((d) => join(outDir, d.contract.contract, `${d.contract.version}.yaml`));
  // All or nothing: a draft never replaces a contract someone may have reviewed.
  for (const path of paths) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) return fail(`${path} exists; not overwriting it (choose another --version or --out)`);
  }
  for (const [i, path] of paths.entries()) {
    try {
      await mkdir(join(outDir, drafts[i]!.contract.contract), { recursive: true });
      await writeFile(path, texts[i]!, { flag: 'wx' });
    } catch (err) {
      return fail(`cannot write ${path}: ${errorCode(err)}`);
    }
    io.stdout.write(`wrote ${path}\n`);
  }
  return 0;
}
