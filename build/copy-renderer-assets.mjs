// The renderer's static files sit next to its compiled scripts in dist/renderer/.
import { cpSync, mkdirSync } from 'node:fs';

mkdirSync('dist/renderer', { recursive: true });
for (const f of ['index.html', 'styles.css']) cpSync(`renderer/${f}`, `dist/renderer/${f}`);
