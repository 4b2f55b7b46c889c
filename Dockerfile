# Antaeus service image: docker compose builds it (see docker-compose.yml).
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# npm install with the lock (not npm ci): see .ci/run for why this lock cannot satisfy npm ci.
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY projections ./projections
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
EXPOSE 7000
USER node
# The flags of src/node-flags.ts: source maps, and a 384 MB heap budget.
CMD ["node", "--enable-source-maps", "--max-old-space-size=384", "--max-semi-space-size=32", "dist/src/main.js"]
