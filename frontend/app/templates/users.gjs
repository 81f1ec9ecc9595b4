import { pageTitle } from 'ember-page-title';
import PaginationNav from 'frontend/components/pagination-nav';
import { formatDate } from 'frontend/utils/format';

function count(pagination, users) {
  return pagination?.count ?? users.length;
}

function plural(n, one, many) {
  return n === 1 ? one : many;
}

<template>
  {{pageTitle "Users"}}

  <div class="page-header">
    <h1 class="page-header__title">Users</h1>
    {{#let (count @model.meta.pagination @model) as |total|}}
      <p class="page-header__meta" data-test-users-count>
        {{total}}
        {{plural total "account" "accounts"}}
      </p>
    {{/let}}
  </div>

  {{#if @model.length}}
    <div class="card table-card">
      <table class="table" data-test-users>
        <caption class="visually-hidden">Accounts, page
          {{if
            @model.meta.pagination.page
            @model.meta.pagination.page
            1
          }}</caption>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">First name</th>
            <th scope="col">Last name</th>
            <th scope="col">Joined</th>
          </tr>
        </thead>
        <tbody>
          {{#each @model as |user|}}
            <tr data-test-user-row={{user.id}}>
              <td
                data-label="Email"
                class="table__primary"
                data-test-user-email
              >
                {{user.email}}
              </td>
              <td data-label="First name" data-test-user-first-name>
                {{if user.firstName user.firstName "—"}}
              </td>
              <td data-label="Last name" data-test-user-last-name>
                {{if user.lastName user.lastName "—"}}
              </td>
              <td data-label="Joined" data-test-user-date-joined>
                <time datetime={{user.dateJoined}}>
                  {{formatDate user.dateJoined}}
                </time>
              </td>
            </tr>
          {{/each}}
        </tbody>
      </table>
    </div>
  {{else}}
    <div class="card empty-state" data-test-users-empty>
      <p>No users on this page.</p>
    </div>
  {{/if}}

  <PaginationNav @route="users" @pagination={{@model.meta.pagination}} />
</template>
