import Component from '@glimmer/component';
import { LinkTo } from '@ember/routing';
import { hash } from '@ember/helper';

/**
 * Previous / "Page X of Y" / Next for a JSON:API list whose
 * `meta.pagination` is `{ page, pages, count }` (djangorestframework-jsonapi).
 * Links change the `page` query param of @route. @label names the navigation
 * landmark ("Pagination" by default).
 */
export default class PaginationNav extends Component {
  get page() {
    return Number(this.args.pagination?.page) || 1;
  }

  get pages() {
    return Math.max(1, Number(this.args.pagination?.pages) || 1);
  }

  get label() {
    return `Page ${this.page} of ${this.pages}`;
  }

  get hasPrev() {
    return this.page > 1;
  }

  get hasNext() {
    return this.page < this.pages;
  }

  get prevPage() {
    return this.page - 1;
  }

  get nextPage() {
    return this.page + 1;
  }

  <template>
    <nav
      class="pagination"
      aria-label={{if @label @label "Pagination"}}
      data-test-pagination
    >
      {{#if this.hasPrev}}
        <LinkTo
          @route={{@route}}
          @query={{hash page=this.prevPage}}
          class="button button--secondary"
          rel="prev"
          data-test-page-prev
        >
          <span aria-hidden="true">←</span>
          Previous
        </LinkTo>
      {{else}}
        <button
          type="button"
          class="button button--secondary"
          disabled
          data-test-page-prev
        >
          <span aria-hidden="true">←</span>
          Previous
        </button>
      {{/if}}

      <span
        class="pagination__info"
        aria-live="polite"
        data-test-page-info
      >{{this.label}}</span>

      {{#if this.hasNext}}
        <LinkTo
          @route={{@route}}
          @query={{hash page=this.nextPage}}
          class="button button--secondary"
          rel="next"
          data-test-page-next
        >
          Next
          <span aria-hidden="true">→</span>
        </LinkTo>
      {{else}}
        <button
          type="button"
          class="button button--secondary"
          disabled
          data-test-page-next
        >
          Next
          <span aria-hidden="true">→</span>
        </button>
      {{/if}}
    </nav>
  </template>
}
