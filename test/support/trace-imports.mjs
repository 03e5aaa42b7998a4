// Preloaded with `node --import` to list every module URL a program resolves; prints
// them as JSON on exit. Used to prove which third-party packages an entry point loads.
import { registerHooks } from 'node:module';

const urls = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const result = nextResolve(specifier, context);
    urls.add(result.url);
    return result;
  },
});
process.on('exit', () => {
  process.stdout.write(`\n${JSON.stringify([...urls])}\n`);
});
