'use strict';
// Tiny flag parser shared by the test servers: `--name value`, repeatable flags collect into arrays.
// Unknown flags are an error so a typo in a test fails at once instead of silently using a default.
module.exports = function parseArgs(argv, spec) {
  const out = {};
  for (const [name, def] of Object.entries(spec)) out[name] = Array.isArray(def) ? [] : def;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (!flag.startsWith('--')) throw new Error(`unexpected argument ${flag}`);
    const name = flag.slice(2);
    if (!(name in spec)) throw new Error(`unknown flag ${flag}; known: ${Object.keys(spec).join(', ')}`);
    const value = argv[++i];
    if (value === undefined) throw new Error(`flag ${flag} needs a value`);
    if (Array.isArray(spec[name])) out[name].push(value);
    else out[name] = typeof spec[name] === 'number' ? Number(value) : value;
  }
  for (const [name, def] of Object.entries(spec)) {
    if (Array.isArray(def) && out[name].length === 0) out[name] = def.slice();
    if (out[name] === undefined) throw new Error(`--${name} is required`);
    if (typeof def === 'number' && Number.isNaN(out[name])) throw new Error(`--${name} must be a number`);
  }
  return out;
};
