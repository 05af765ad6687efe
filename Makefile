# Shortcuts for the README's commands.
.PHONY: install build start dev test bench docker clean

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

docker:
	docker build -t netwatch .

clean:
	rm -rf dist test-results
