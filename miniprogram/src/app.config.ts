export default defineAppConfig({
  // The sign-in page comes first; a kept session goes straight on to the workbench (app.ts).
  pages: ['pages/login/index', 'pages/home/index', 'pages/recent/index'],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#0052d9',
    navigationBarTitleText: '坐席助手',
    navigationBarTextStyle: 'white',
  },
  tabBar: {
    color: '#4b5563',
    selectedColor: '#0052d9',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/home/index', text: '工作台' },
      { pagePath: 'pages/recent/index', text: '最近通话' },
    ],
  },
});
