// Validates every document of the given Kubernetes manifests against the API's OpenAPI schema (kubernetes-models
// generates its validators from it): prints one line per document and exits 1 on the first file with an error.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const modules = { v1: 'kubernetes-models/v1', 'apps/v1': 'kubernetes-models/apps/v1', 'batch/v1': 'kubernetes-models/batch/v1' };
let failed = 0;
for (const file of process.argv.slice(2)) {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    if (doc.errors.length) { console.log(`${file}: YAML: ${doc.errors[0].message}`); failed++; continue; }
    const object = doc.toJS();
    if (!object) continue;
    const module = modules[object.apiVersion];
    const name = `${object.kind}/${object.metadata?.name}`;
    if (!module) { console.log(`${file}: ${name}: apiVersion ${object.apiVersion} is not checked`); failed++; continue; }
    const Model = (await import(module))[object.kind];
    if (!Model) { console.log(`${file}: ${name}: unknown kind ${object.kind} in ${object.apiVersion}`); failed++; continue; }
    try {
      new Model(object).validate();
      console.log(`${file}: ${name}: valid ${object.apiVersion} ${object.kind}`);
    } catch (e) {
      console.log(`${file}: ${name}: ${e.message}`);
      failed++;
    }
  }
}
process.exit(failed ? 1 : 0);
