// Mount GraphiQL on #graphiql, talking to the same address the page came from.
(function () {
  "use strict";
  var url = window.location.href.split("?")[0].split("#")[0];
  var fetcher = GraphiQL.createFetcher({ url: url });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultQuery: "# graphcoord: put `Authorization: Bearer <token>` in the headers below.\n{\n  __typename\n}\n",
    })
  );
})();
