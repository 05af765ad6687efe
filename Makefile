# Shortcuts for the README's commands.
.PHONY: install build start dev test bench soak docker clean

install:
	npm ci

build:
	npm run build

start:
	npm start

dev:             # server with tsx; run `npx vite --config ui/vite.config.ts` beside it for the UI
	npm run dev

test:
	npm test

bench:
	npm run bench

soak:            # 60 min at 2,000 targets; see bench/README.md
	npm run soak -- --minutes 60 --targets 2000

docker:
	docker build -t netwatch .

clean:
	rm -rf dist test-results
