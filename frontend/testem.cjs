'use strict';

// `npm test` builds the app in development mode into dist/ and runs the tests
// in headless Chromium (Debian's /usr/bin/chromium, or Chrome where that is
// what is installed: testem finds either by name).
const browser = process.env.TEST_BROWSER || 'Chromium';

const flags = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-software-rasterizer',
  '--mute-audio',
  '--remote-debugging-port=0',
  '--window-size=1440,900',
];

module.exports = {
  test_page: 'tests/index.html?hidepassed',
  cwd: 'dist',
  disable_watching: true,
  launch_in_ci: [browser],
  launch_in_dev: [browser],
  browser_start_timeout: 120,
  browser_disconnect_timeout: 120,
  browser_args: {
    [browser]: { ci: flags, dev: flags },
  },
};
