/**
 * Assembles the client package (`@wxamp-link/client`) in dist/client-package/ from the build and
 * prints the folder on stdout, for `npm pack` or `npm publish`; `npm run package:client` builds,
 * assembles and packs it. See local/client-package.ts for what goes in.
 */
import { relative } from 'node:path';
import { assembleClientPackage } from './client-package';

try {
  const { dir, manifest, files } = assembleClientPackage();
  console.error(`${manifest.name}@${manifest.version}: ${files.length} files, dependencies ${Object.keys(manifest.dependencies).join(', ')}`);
  console.log(relative(process.cwd(), dir) || '.');
} catch (err) {
  console.error(err instanceof Error ? `client package: ${err.message}` : err);
  process.exit(1);
}
