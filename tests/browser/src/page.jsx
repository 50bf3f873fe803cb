// A page as a new user of SelfCommunity's UI kit would write it: the
// provider with only the portal and the session, four user components, and
// the one line connection buttons need (hearth answers 204 without it).
// The test's static server puts the settings in window.HEARTH_PAGE.
import React from 'react';
import { createRoot } from 'react-dom/client';
import { http } from '@selfcommunity/api-services';
import { SCContextProvider } from '@selfcommunity/react-core';
import {
  UserProfileHeader,
  UserSuggestionWidget,
  ChangePicture,
  SearchAutocomplete,
} from '@selfcommunity/react-ui';

http.setDefaultHeader({ name: 'Prefer', value: 'return=representation' });

const cfg = window.HEARTH_PAGE;

const conf = {
  portal: cfg.portal,
  session: {
    type: 'OAuth',
    clientId: cfg.clientId,
    authToken: { accessToken: cfg.accessToken, tokenType: 'Bearer' },
  },
};

function Page() {
  return (
    <SCContextProvider conf={conf}>
      <div id="header"><UserProfileHeader userId={cfg.userId} /></div>
      <div id="search"><SearchAutocomplete /></div>
      <div id="picture"><ChangePicture /></div>
      <div id="suggestions"><UserSuggestionWidget autoHide={false} /></div>
    </SCContextProvider>
  );
}

createRoot(document.getElementById('root')).render(<Page />);
