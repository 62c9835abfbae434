import type { NextConfig } from 'next';

const config: NextConfig = {
  reactStrictMode: true,
  // served by apps/server on one origin: no image optimizer, no telemetry-bearing extras
  images: { unoptimized: true },
  poweredByHeader: false,
  devIndicators: false,
};

export default config;
