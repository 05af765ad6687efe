# Shortcuts for the README's commands.
.PHONY: install build start dev typecheck lint format format-check test test-unit bench soak docker clean

install:
	npm ci

build:
	npm run build

start:
	npm start

dev:             # server with tsx; run `npx vite --config ui/vite.config.ts` beside it for the UI
	npm run dev

typecheck:       # server, tests, bench and UI
	npm run typecheck

lint:            # eslint, and knip (unused exports, files, dependencies)
	npm run lint

format:          # rewrites every file prettier formats
	npm run format

format-check:
	npm run format:check

test:            # typecheck, lint, format check, build, then every test
	npm test

test-unit:       # the fast subset: SQLite only, no MariaDB, Chromium or network namespaces
	npm run test:unit

bench:
	npm run bench

soak:            # 60 min at 2,000 targets; see bench/README.md
	npm run soak -- --minutes 60 --targets 2000

docker:
	docker build -t netwatch .

clean:
	rm -rf dist test-results
