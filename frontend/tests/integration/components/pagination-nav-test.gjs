import { module, test } from 'qunit';
import { render } from '@ember/test-helpers';
import { setupRenderingTest } from 'frontend/tests/helpers';
import PaginationNav from 'frontend/components/pagination-nav';

module('Integration | Component | pagination-nav', function (hooks) {
  setupRenderingTest(hooks);

  hooks.beforeEach(function () {
    // LinkTo needs the router to build hrefs.
    this.owner.setupRouter();
  });

  test('first of several pages', async function (assert) {
    const pagination = { page: 1, pages: 3, count: 25 };
    await render(
      <template>
        <PaginationNav @route="users" @pagination={{pagination}} />
      </template>,
    );

    assert
      .dom('nav[data-test-pagination]')
      .hasAttribute('aria-label', 'Pagination');
    assert.dom('[data-test-page-info]').hasText('Page 1 of 3');
    assert.dom('[data-test-page-prev]').isDisabled();
    assert.dom('a[data-test-page-next]').hasAttribute('href', '/users?page=2');
  });

  test('a middle page links both ways', async function (assert) {
    const pagination = { page: 2, pages: 3, count: 25 };
    await render(
      <template>
        <PaginationNav @route="users" @pagination={{pagination}} />
      </template>,
    );

    assert.dom('[data-test-page-info]').hasText('Page 2 of 3');
    assert.dom('a[data-test-page-prev]').hasAttribute('href', '/users');
    assert.dom('a[data-test-page-next]').hasAttribute('href', '/users?page=3');
  });

  test('no pagination meta means a single page', async function (assert) {
    await render(<template><PaginationNav @route="users" /></template>);

    assert.dom('[data-test-page-info]').hasText('Page 1 of 1');
    assert.dom('a[data-test-page-prev]').doesNotExist();
    assert.dom('a[data-test-page-next]').doesNotExist();
  });
});
