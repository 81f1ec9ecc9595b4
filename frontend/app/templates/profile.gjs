import { pageTitle } from 'ember-page-title';
import ProfileForm from 'frontend/components/profile-form';

<template>
  {{pageTitle "Profile"}}

  <div class="page-header page-header--stacked">
    <h1 class="page-header__title">Profile</h1>
    <p class="page-header__meta">Your name as other people in Authsite see it.</p>
  </div>

  <ProfileForm @user={{@model}} />
</template>
