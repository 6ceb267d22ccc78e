const { src, dest, task } = require('gulp');

// Icons and codex files are not TypeScript: tsc does not emit them, n8n reads them from dist/.
function copyAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

task('build:assets', copyAssets);
