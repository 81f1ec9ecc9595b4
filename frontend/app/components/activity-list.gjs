import PaginationNav from 'frontend/components/pagination-nav';
import { deviceOf, eventSentence } from 'frontend/utils/activity';
import { formatDateTime } from 'frontend/utils/format';

/**
 * "Recent activity": a page of the user's own audit events (@events, with
 * `meta.pagination`), one readable sentence each, when and where from.
 * Previous/Next change the `page` query param of the security route; @busy
 * is true while the next page loads.
 */
<template>
  <section
    class="card section section--table"
    aria-labelledby="activity-heading"
    data-test-activity
  >
    <div class="section__header">
      <h2 id="activity-heading" class="section__title">Recent activity</h2>
      <p class="section__meta">The last 90 days</p>
    </div>

    {{#if @events.length}}
      <table class="table" aria-busy={{if @busy "true"}} data-test-events>
        <caption class="visually-hidden">Recent activity, page
          {{if
            @events.meta.pagination.page
            @events.meta.pagination.page
            1
          }}</caption>
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">When</th>
            <th scope="col">IP address</th>
            <th scope="col">Device</th>
          </tr>
        </thead>
        <tbody>
          {{#each @events as |event|}}
            <tr
              data-test-event={{event.id}}
              data-test-event-kind={{event.kind}}
            >
              <td data-label="What" class="table__primary" data-test-event-text>
                {{eventSentence event}}
              </td>
              <td data-label="When" data-test-event-time>
                <time datetime={{event.time}}>{{formatDateTime
                    event.time
                  }}</time>
              </td>
              <td data-label="IP address" data-test-event-ip>
                {{if event.ip event.ip "—"}}
              </td>
              <td data-label="Device" data-test-event-device>
                {{deviceOf event}}
              </td>
            </tr>
          {{/each}}
        </tbody>
      </table>
    {{else}}
      <p class="section__empty" data-test-events-empty>
        No activity in the last 90 days.
      </p>
    {{/if}}

    <PaginationNav
      @route="security"
      @pagination={{@events.meta.pagination}}
      @label="Recent activity pages"
    />
  </section>
</template>
