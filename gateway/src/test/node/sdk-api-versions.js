// Prints the api-versions each installed official @azure/arm-* package sends, one line per operation group and
// version: "<package>\t<operation group>\t<api-version>" (run by provider/SdkApiVersionsTest). A group whose
// operations name no version uses its package's client default (the api directory's context file).
const fs = require("fs");
const path = require("path");

const VERSION = /"(20\d\d-\d\d-\d\d(?:-preview)?)"/g;

function versionsIn(files) {
  const found = new Set();
  for (const f of files) {
    for (const m of fs.readFileSync(f, "utf8").matchAll(VERSION)) {
      found.add(m[1]);
    }
  }
  return [...found];
}

const root = path.join(__dirname, "node_modules", "@azure");
for (const pkg of fs.readdirSync(root).filter((p) => p.startsWith("arm-"))) {
  const api = path.join(root, pkg, "dist", "commonjs", "api");
  if (!fs.existsSync(api)) {
    console.error(`${pkg}: no dist/commonjs/api directory`);
    continue;
  }
  const context = versionsIn(fs.readdirSync(api).filter((f) => f.endsWith(".js")).map((f) => path.join(api, f)));
  for (const group of fs.readdirSync(api)) {
    const operations = path.join(api, group, "operations.js");
    if (!fs.existsSync(operations)) {
      continue;
    }
    const versions = versionsIn([operations]);
    for (const v of versions.length > 0 ? versions : context) {
      console.log(`${pkg}\t${group}\t${v}`);
    }
  }
}
